/* The event store's tamper evidence (docs/siem.md, "Chain and seals"):
 * keyed BLAKE2b tags that chain every record to its predecessor, the seal
 * that closes a segment, and the forward-secure key that evolves once per
 * segment, so a key found today cannot re-tag what an older key sealed.
 * Pure functions over libsodium; nothing here does I/O. */
#ifndef SIEM_STORE_CHAIN_H
#define SIEM_STORE_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#define CHAIN_KEY 32 /* bytes of a segment key K_s */
#define CHAIN_TAG 32 /* bytes of a record tag, a seal, a header MAC */

/* K_{s+1} = BLAKE2b-256(key = K_s, "evolve"), in place; the old key is
 * wiped (sodium_memzero). K_1 is chain_evolve(K_0), the seal key. */
void chain_evolve(uint8_t key[CHAIN_KEY]);

/* A record's tag: BLAKE2b-256(key = K_s, hdr[0..63] with its CRC field
 * (bytes 12..15) zero || prev || payload). hdr is the record header as
 * it is on the disk; prev is the previous record's tag (the segment
 * header's prev_tag for a segment's first record). */
void chain_record_tag(const uint8_t key[CHAIN_KEY], const uint8_t *hdr,
                      const uint8_t prev[CHAIN_TAG], const void *payload, uint32_t len,
                      uint8_t out[CHAIN_TAG]);

/* The seal of segment segseq, made with its own key as the next segment
 * starts: BLAKE2b-256(key = K_segseq, "seal" || segseq || last_seq ||
 * last_tag), integers u64 little-endian; last_* are the chain's head when
 * the segment closed (its last record). */
void chain_seal(const uint8_t key[CHAIN_KEY], uint64_t segseq, uint64_t last_seq,
                const uint8_t last_tag[CHAIN_TAG], uint8_t out[CHAIN_TAG]);

/* A segment header's MAC: BLAKE2b-256(key = K_s, its first len bytes). */
void chain_header_mac(const uint8_t key[CHAIN_KEY], const uint8_t *hdr, size_t len,
                      uint8_t out[CHAIN_TAG]);

/* 1 when the tags are equal (constant time), else 0. */
int chain_same(const uint8_t a[CHAIN_TAG], const uint8_t b[CHAIN_TAG]);

/* Overwrites n bytes at p with zeros in a way the compiler keeps. */
void chain_wipe(void *p, size_t n);

#endif
