/* Keyed BLAKE2b tags, seals and key evolution for the event store log. */
#include "chain.h"

#include <sodium/crypto_generichash_blake2b.h>
#include <sodium/utils.h>
#include <string.h>

#define REC_MAC_BYTES 64 /* the record header bytes a tag covers */
#define REC_CRC 12       /* where the record header keeps its CRC */

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void chain_evolve(uint8_t key[CHAIN_KEY])
{
    static const char what[] = "evolve";
    uint8_t next[CHAIN_KEY];
    crypto_generichash_blake2b(next, sizeof(next), (const uint8_t *)what, sizeof(what) - 1, key,
                               CHAIN_KEY);
    memcpy(key, next, CHAIN_KEY);
    sodium_memzero(next, sizeof(next));
}

void chain_record_tag(const uint8_t key[CHAIN_KEY], const uint8_t *hdr,
                      const uint8_t prev[CHAIN_TAG], const void *payload, uint32_t len,
                      uint8_t out[CHAIN_TAG])
{
    uint8_t h[REC_MAC_BYTES];
    memcpy(h, hdr, sizeof(h));
    memset(h + REC_CRC, 0, 4); /* the CRC covers the tag, not the other way round */
    crypto_generichash_blake2b_state st;
    crypto_generichash_blake2b_init(&st, key, CHAIN_KEY, CHAIN_TAG);
    crypto_generichash_blake2b_update(&st, h, sizeof(h));
    crypto_generichash_blake2b_update(&st, prev, CHAIN_TAG);
    crypto_generichash_blake2b_update(&st, payload, len);
    crypto_generichash_blake2b_final(&st, out, CHAIN_TAG);
    sodium_memzero(&st, sizeof(st));
}

void chain_seal(const uint8_t key[CHAIN_KEY], uint64_t segseq, uint64_t last_seq,
                const uint8_t last_tag[CHAIN_TAG], uint8_t out[CHAIN_TAG])
{
    uint8_t msg[4 + 8 + 8 + CHAIN_TAG];
    memcpy(msg, "seal", 4);
    put64(msg + 4, segseq);
    put64(msg + 12, last_seq);
    memcpy(msg + 20, last_tag, CHAIN_TAG);
    crypto_generichash_blake2b(out, CHAIN_TAG, msg, sizeof(msg), key, CHAIN_KEY);
}

void chain_header_mac(const uint8_t key[CHAIN_KEY], const uint8_t *hdr, size_t len,
                      uint8_t out[CHAIN_TAG])
{
    crypto_generichash_blake2b(out, CHAIN_TAG, hdr, len, key, CHAIN_KEY);
}

int chain_same(const uint8_t a[CHAIN_TAG], const uint8_t b[CHAIN_TAG])
{
    return sodium_memcmp(a, b, CHAIN_TAG) == 0;
}

void chain_wipe(void *p, size_t n)
{
    sodium_memzero(p, n);
}
