/* siem-nkey: NATS user nkeys for tools/siem (Ed25519 through the same
 * libsodium and apps/siem/common/nkey.c the modules use).
 *   siem-nkey gen          a new user seed and its public key, a line each
 *   siem-nkey public FILE  the public key of the seed in FILE
 *   siem-nkey sign FILE    the signature of standard input (a server's
 *                          nonce) with the seed in FILE, base64url
 * Exit status: 0 done, 1 failed (the reason on stderr), 2 bad usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nkey.h"

static int usage(void)
{
    fprintf(stderr, "usage: siem-nkey gen | public SEEDFILE | sign SEEDFILE <NONCE\n");
    return 2;
}

/* Reads the seed in path into k; 0 or -1 with a line on stderr. */
static int load(const char *path, struct nkey *k)
{
    char text[128] = "";
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "siem-nkey: %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    int rc = nkey_from_seed(text, k);
    memset(text, 0, sizeof(text));
    if (rc < 0)
        fprintf(stderr, "siem-nkey: %s does not hold a user seed (SU..., 58 characters)\n", path);
    return rc;
}

int main(int argc, char **argv)
{
    struct nkey k;
    if (argc == 2 && strcmp(argv[1], "gen") == 0) {
        unsigned char seed[32];
        char text[NKEY_SEED_LEN + 1];
        arc4random_buf(seed, sizeof(seed));
        nkey_seed_text(seed, text);
        if (nkey_from_seed(text, &k) < 0)
            return 1;
        printf("%s\n%s\n", text, k.public_key);
        nkey_wipe(&k);
        return 0;
    }
    if (argc != 3 || (strcmp(argv[1], "public") != 0 && strcmp(argv[1], "sign") != 0))
        return usage();
    if (load(argv[2], &k) < 0)
        return 1;
    if (strcmp(argv[1], "public") == 0) {
        printf("%s\n", k.public_key);
    } else {
        char nonce[512], sig[NKEY_SIG_SIZE];
        size_t n = fread(nonce, 1, sizeof(nonce), stdin);
        nkey_sign(&k, nonce, n, sig);
        printf("%s\n", sig);
    }
    nkey_wipe(&k);
    return 0;
}
