/* SHA-256 (FIPS 180-4), incremental, for event ids. */
#ifndef SIEM_SHA256_H
#define SIEM_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SIEM_SHA256_LEN 32

struct siem_sha256 {
    uint32_t h[8];     /* the intermediate hash value H(i) */
    uint64_t bytes;    /* message length so far, for the padding */
    uint8_t block[64]; /* a partial block waiting for more data */
    size_t used;       /* bytes in block */
};

void siem_sha256_init(struct siem_sha256 *c);
void siem_sha256_update(struct siem_sha256 *c, const void *data, size_t len);
/* Writes the digest; c must be initialised again before reuse. */
void siem_sha256_final(struct siem_sha256 *c, uint8_t out[SIEM_SHA256_LEN]);

/* The digest of one buffer. */
void siem_sha256(const void *data, size_t len, uint8_t out[SIEM_SHA256_LEN]);

#endif
