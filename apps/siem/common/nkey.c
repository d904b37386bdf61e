/* NATS nkeys over libsodium's Ed25519 (nkey.h). */
#include "nkey.h"

#include <ctype.h>
#include <sodium/crypto_sign_ed25519.h>
#include <sodium/utils.h>
#include <string.h>

/* Prefix bytes: the first five bits say what the key is. */
#define PREFIX_SEED (18 << 3)
#define PREFIX_USER (20 << 3)

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

unsigned nkey_crc16(const unsigned char *p, size_t len)
{
    unsigned crc = 0;
    while (len--) {
        crc ^= (unsigned)*p++ << 8;
        for (int i = 0; i < 8; i++)
            crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
    return crc;
}

/* Base32 of n bytes into out (NUL-terminated). */
static void base32(const unsigned char *in, size_t n, char *out)
{
    unsigned buf = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        buf = (buf << 8) | in[i];
        bits += 8;
        while (bits >= 5) {
            *out++ = b32[(buf >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        *out++ = b32[(buf << (5 - bits)) & 31];
    *out = '\0';
}

/* Decodes exactly len base32 characters into out (at most size bytes);
 * returns the byte count or -1. Leftover bits must be zero. */
static int unbase32(const char *in, size_t len, unsigned char *out, size_t size)
{
    unsigned buf = 0;
    int bits = 0;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        const char *c = in[i] ? strchr(b32, in[i]) : NULL;
        if (!c)
            return -1;
        buf = (buf << 5) | (unsigned)(c - b32);
        bits += 5;
        if (bits >= 8) {
            if (n == size)
                return -1;
            out[n++] = (unsigned char)(buf >> (bits - 8));
            bits -= 8;
        }
    }
    return bits < 5 && (buf & ((1u << bits) - 1)) == 0 ? (int)n : -1;
}

/* Adds the CRC of the first n bytes after them (little endian). */
static void put_crc(unsigned char *raw, size_t n)
{
    unsigned crc = nkey_crc16(raw, n);
    raw[n] = (unsigned char)(crc & 0xff);
    raw[n + 1] = (unsigned char)(crc >> 8);
}

int nkey_from_seed(const char *text, struct nkey *k)
{
    unsigned char raw[36], seed[32], pk[32];
    while (isspace((unsigned char)*text))
        text++;
    size_t len = strlen(text);
    while (len && isspace((unsigned char)text[len - 1]))
        len--;
    int ok = len == NKEY_SEED_LEN && unbase32(text, len, raw, sizeof(raw)) == 36;
    ok = ok && raw[0] == (PREFIX_SEED | (PREFIX_USER >> 5)) && raw[1] == ((PREFIX_USER & 31) << 3);
    ok = ok && nkey_crc16(raw, 34) == (unsigned)(raw[34] | raw[35] << 8);
    if (ok) {
        memcpy(seed, raw + 2, 32);
        crypto_sign_ed25519_seed_keypair(pk, k->secret, seed);
        unsigned char pub[35];
        pub[0] = PREFIX_USER;
        memcpy(pub + 1, pk, 32);
        put_crc(pub, 33);
        base32(pub, sizeof(pub), k->public_key);
    }
    sodium_memzero(raw, sizeof(raw));
    sodium_memzero(seed, sizeof(seed));
    return ok ? 0 : -1;
}

void nkey_seed_text(const unsigned char seed[32], char *out)
{
    unsigned char raw[36];
    raw[0] = PREFIX_SEED | (PREFIX_USER >> 5);
    raw[1] = (PREFIX_USER & 31) << 3;
    memcpy(raw + 2, seed, 32);
    put_crc(raw, 34);
    base32(raw, sizeof(raw), out);
    sodium_memzero(raw, sizeof(raw));
}

void nkey_sign(const struct nkey *k, const void *msg, size_t len, char sig[NKEY_SIG_SIZE])
{
    static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    unsigned char s[64];
    crypto_sign_ed25519_detached(s, NULL, msg, len, k->secret);
    char *o = sig;
    for (size_t i = 0; i < sizeof(s); i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        size_t left = sizeof(s) - i;
        if (left > 1)
            v |= (unsigned)s[i + 1] << 8;
        if (left > 2)
            v |= s[i + 2];
        *o++ = b64url[(v >> 18) & 63];
        *o++ = b64url[(v >> 12) & 63];
        if (left > 1)
            *o++ = b64url[(v >> 6) & 63];
        if (left > 2)
            *o++ = b64url[v & 63];
    }
    *o = '\0';
}

void nkey_wipe(struct nkey *k)
{
    sodium_memzero(k->secret, sizeof(k->secret));
}
