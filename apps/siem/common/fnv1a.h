/* FNV-1a, 64 bits: a fast, non-cryptographic hash for hash tables and for
 * keys that only have to be spread well, never for ids another party may
 * choose to collide (those are SHA-256, see event.h). */
#ifndef SIEM_FNV1A_H
#define SIEM_FNV1A_H

#include <stddef.h>
#include <stdint.h>

/* The standard offset basis: start a hash here. */
#define SIEM_FNV1A64_BASIS 0xcbf29ce484222325ULL

/* Continues the hash h over len bytes of data. */
uint64_t siem_fnv1a64(uint64_t h, const void *data, size_t len);

#endif
