/* NATS nkeys: Ed25519 identities written as text (docs/siem.md
 * "Identities"). A user's seed "SU..." (58 characters) gives its key
 * pair; its public key "U..." (56) is what nats-server's configuration
 * names; a login signs the server's nonce with the secret key. Text form:
 * base32 (RFC 4648, no padding) of prefix byte(s), the 32 key bytes and a
 * CRC-16/XMODEM, little endian. */
#ifndef SIEM_NKEY_H
#define SIEM_NKEY_H

#include <stddef.h>

#define NKEY_SEED_LEN 58
#define NKEY_PUBLIC_LEN 56
/* 64 signature bytes as base64url without padding, and the NUL. */
#define NKEY_SIG_SIZE 87

struct nkey {
    unsigned char secret[64]; /* libsodium's Ed25519 secret key (seed, public) */
    char public_key[NKEY_PUBLIC_LEN + 1];
};

/* The key pair of a user seed ("SU..."); -1 when text is not one (length,
 * alphabet, prefix or checksum). Leading and trailing white space is
 * ignored, so a key file's newline does no harm. */
int nkey_from_seed(const char *text, struct nkey *k);

/* The user seed text of 32 seed bytes (out: NKEY_SEED_LEN + 1 bytes). */
void nkey_seed_text(const unsigned char seed[32], char *out);

/* Signs msg; writes the base64url signature (NKEY_SIG_SIZE bytes). */
void nkey_sign(const struct nkey *k, const void *msg, size_t len, char sig[NKEY_SIG_SIZE]);

/* Overwrites the secret key. */
void nkey_wipe(struct nkey *k);

/* CRC-16/XMODEM (polynomial 0x1021, initial value 0), as nkeys use it. */
unsigned nkey_crc16(const unsigned char *p, size_t len);

#endif
