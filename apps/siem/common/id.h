/* SIEM ids (event.id, alert ids): 128 bits written as 32 lowercase hex
 * digits. */
#ifndef SIEM_ID_H
#define SIEM_ID_H

#include <stddef.h>
#include <stdint.h>

#include <sodium/crypto_hash_sha256.h>

/* 32 hex digits and a NUL. */
#define SIEM_ID_LEN 33

/* The id of a SHA-256 digest: its first 128 bits as hex. */
void siem_id_hex(const uint8_t digest[crypto_hash_sha256_BYTES], char out[SIEM_ID_LEN]);

/* Reads an id written as exactly len == 32 hex digits (either case) into
 * its 16 bytes; -1 when text is not that. */
int siem_id_parse(const char *text, size_t len, uint8_t out[16]);

#endif
