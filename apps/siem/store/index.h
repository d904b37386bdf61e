/* The event store's in-memory index: every live record in append order
 * (a ring, oldest first, so retention drops from the front) and a hash
 * set over their ids for duplicate detection. */
#ifndef SIEM_STORE_INDEX_H
#define SIEM_STORE_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"

struct store_index {
    struct store_rec *ring;
    size_t cap, head, count;
    uint64_t base;   /* ordinal of the oldest entry; ordinals never repeat */
    uint64_t *slots; /* open addressing, linear probing: ordinal + 1, 0 empty */
    size_t nslots, nids;
};

void store_index_init(struct store_index *ix);
void store_index_free(struct store_index *ix);
/* Adds r as the newest entry. Returns 0 or -ENOMEM (index unchanged). */
int store_index_push(struct store_index *ix, const struct store_rec *r);
/* Drops the oldest entry (there must be one). */
void store_index_pop_oldest(struct store_index *ix);
const struct store_rec *store_index_oldest(const struct store_index *ix);
/* i = 0 is the newest; NULL when i >= count. */
const struct store_rec *store_index_newest(const struct store_index *ix, size_t i);
/* Ordinals: the entry pushed when count was n has ordinal base + n, and
 * ordinals are never reused; the live ones are [base, base + count). */
/* The entry of ordinal ord; NULL when it is not live. */
const struct store_rec *store_index_at(const struct store_index *ix, uint64_t ord);
/* The ordinal past the newest entry with seq < before (entries are in seq
 * order); base when there is none. */
uint64_t store_index_below(const struct store_index *ix, uint64_t before);
/* 1 when an entry has this id key. */
int store_index_has(const struct store_index *ix, const uint8_t key[16]);

#endif
