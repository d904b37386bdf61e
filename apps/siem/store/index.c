/* Ring of index entries plus an id hash set with backward-shift deletion. */
#include "index.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define RING_MIN 1024
#define SLOTS_MIN 2048 /* a power of two; kept at most half full */

void store_index_init(struct store_index *ix)
{
    memset(ix, 0, sizeof(*ix));
}

void store_index_free(struct store_index *ix)
{
    free(ix->ring);
    free(ix->slots);
    store_index_init(ix);
}

static struct store_rec *at_ordinal(const struct store_index *ix, uint64_t ord)
{
    return &ix->ring[(ix->head + (size_t)(ord - ix->base)) % ix->cap];
}

/* Keys are already uniform (hash output or a hash-derived event.id), but a
 * producer's ids might not be: mix the first 8 bytes anyway. */
static size_t home(const struct store_index *ix, const uint8_t key[16])
{
    uint64_t h = 0;
    for (int i = 0; i < 8; i++)
        h = h << 8 | key[i];
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return (size_t)h & (ix->nslots - 1);
}

static void slot_insert(struct store_index *ix, uint64_t ord)
{
    size_t i = home(ix, at_ordinal(ix, ord)->id);
    while (ix->slots[i])
        i = (i + 1) & (ix->nslots - 1);
    ix->slots[i] = ord + 1;
}

static int grow_ring(struct store_index *ix)
{
    size_t cap = ix->cap ? ix->cap * 2 : RING_MIN;
    struct store_rec *ring = malloc(cap * sizeof(*ring));
    if (!ring)
        return -ENOMEM;
    /* Unroll the ring so the oldest is at 0; ordinals stay as they were. */
    for (size_t i = 0; i < ix->count; i++)
        ring[i] = ix->ring[(ix->head + i) % ix->cap];
    free(ix->ring);
    ix->ring = ring;
    ix->cap = cap;
    ix->head = 0;
    return 0;
}

static int grow_slots(struct store_index *ix)
{
    size_t n = ix->nslots ? ix->nslots * 2 : SLOTS_MIN;
    uint64_t *slots = calloc(n, sizeof(*slots));
    if (!slots)
        return -ENOMEM;
    free(ix->slots);
    ix->slots = slots;
    ix->nslots = n;
    for (size_t i = 0; i < ix->count; i++)
        if (ix->ring[(ix->head + i) % ix->cap].has_id)
            slot_insert(ix, ix->base + i);
    return 0;
}

int store_index_push(struct store_index *ix, const struct store_rec *r)
{
    if (ix->count == ix->cap && grow_ring(ix) < 0)
        return -ENOMEM;
    if (r->has_id && (ix->nids + 1) * 2 > ix->nslots && grow_slots(ix) < 0)
        return -ENOMEM;
    uint64_t ord = ix->base + ix->count;
    ix->ring[(ix->head + ix->count) % ix->cap] = *r;
    ix->count++;
    if (r->has_id) {
        slot_insert(ix, ord);
        ix->nids++;
    }
    return 0;
}

/* Removes the slot holding ordinal ord, then moves later entries of the
 * probe run back into the hole so every remaining key is still reachable
 * from its home slot without tombstones (Knuth's algorithm R). */
static void slot_delete(struct store_index *ix, uint64_t ord)
{
    size_t mask = ix->nslots - 1;
    size_t i = home(ix, at_ordinal(ix, ord)->id);
    while (ix->slots[i] != ord + 1)
        i = (i + 1) & mask;
    for (size_t j = (i + 1) & mask; ix->slots[j]; j = (j + 1) & mask) {
        size_t k = home(ix, at_ordinal(ix, ix->slots[j] - 1)->id);
        /* The entry at j may fill the hole at i unless its home lies
         * cyclically in (i, j]: then it would become unreachable. */
        int home_between = i <= j ? (i < k && k <= j) : (i < k || k <= j);
        if (!home_between) {
            ix->slots[i] = ix->slots[j];
            i = j;
        }
    }
    ix->slots[i] = 0;
}

void store_index_pop_oldest(struct store_index *ix)
{
    if (ix->ring[ix->head].has_id) {
        slot_delete(ix, ix->base);
        ix->nids--;
    }
    ix->head = (ix->head + 1) % ix->cap;
    ix->count--;
    ix->base++;
}

const struct store_rec *store_index_oldest(const struct store_index *ix)
{
    return ix->count ? &ix->ring[ix->head] : NULL;
}

const struct store_rec *store_index_newest(const struct store_index *ix, size_t i)
{
    if (i >= ix->count)
        return NULL;
    return &ix->ring[(ix->head + ix->count - 1 - i) % ix->cap];
}

const struct store_rec *store_index_at(const struct store_index *ix, uint64_t ord)
{
    if (ord < ix->base || ord - ix->base >= ix->count)
        return NULL;
    return at_ordinal(ix, ord);
}

uint64_t store_index_below(const struct store_index *ix, uint64_t before)
{
    size_t lo = 0, hi = ix->count; /* binary search: entries [0, lo) have seq < before */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (at_ordinal(ix, ix->base + mid)->seq < before)
            lo = mid + 1;
        else
            hi = mid;
    }
    return ix->base + lo;
}

int store_index_has(const struct store_index *ix, const uint8_t key[16])
{
    if (!ix->nslots)
        return 0;
    for (size_t i = home(ix, key); ix->slots[i]; i = (i + 1) & (ix->nslots - 1))
        if (memcmp(at_ordinal(ix, ix->slots[i] - 1)->id, key, 16) == 0)
            return 1;
    return 0;
}
