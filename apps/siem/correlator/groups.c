/* A rule's groups: a bounded table with a hash index and LRU eviction. */
#include "groups.h"

#include <stdlib.h>
#include <string.h>

#include "fnv1a.h"

int corr_groups_init(struct corr_groups *gs, size_t max, size_t cap, int64_t window_ms)
{
    memset(gs, 0, sizeof(*gs));
    size_t size = 16;
    while (size < 2 * max) /* at most half full: short probe runs */
        size *= 2;
    if (!(gs->index = malloc(size * sizeof(*gs->index))))
        return -1;
    for (size_t i = 0; i < size; i++)
        gs->index[i] = -1;
    gs->mask = size - 1;
    gs->max = max;
    gs->cap = cap;
    gs->window_ms = window_ms;
    return 0;
}

void corr_groups_free(struct corr_groups *gs)
{
    for (size_t i = 0; i < gs->used; i++) {
        free(gs->slot[i].key);
        free(gs->slot[i].ent);
    }
    free(gs->slot);
    free(gs->index);
    memset(gs, 0, sizeof(*gs));
}

static uint64_t hash_key(const char *key)
{
    return siem_fnv1a64(SIEM_FNV1A64_BASIS, key, strlen(key));
}

/* The index position holding key, or of the empty cell ending its run. */
static size_t probe(const struct corr_groups *gs, const char *key, uint64_t h)
{
    size_t i = h & gs->mask;
    while (gs->index[i] >= 0) {
        const struct corr_group *g = &gs->slot[gs->index[i]];
        if (g->hash == h && strcmp(g->key, key) == 0)
            break;
        i = (i + 1) & gs->mask;
    }
    return i;
}

struct corr_group *corr_groups_find(struct corr_groups *gs, const char *key)
{
    size_t i = probe(gs, key, hash_key(key));
    return gs->index[i] >= 0 ? &gs->slot[gs->index[i]] : NULL;
}

/* Removes the index cell of slot s. Linear probing cannot leave a hole in
 * a run, so the later cells of the run that hash at or before the hole
 * move back into it (deletion without tombstones). */
static void unindex(struct corr_groups *gs, int32_t s)
{
    size_t i = probe(gs, gs->slot[s].key, gs->slot[s].hash), j = i;
    for (;;) {
        j = (j + 1) & gs->mask;
        if (gs->index[j] < 0)
            break;
        size_t home = gs->slot[gs->index[j]].hash & gs->mask;
        /* Stays when home lies cyclically in (i, j]. */
        if (i <= j ? (i < home && home <= j) : (i < home || home <= j))
            continue;
        gs->index[i] = gs->index[j];
        i = j;
    }
    gs->index[i] = -1;
}

static int dead(const struct corr_groups *gs, const struct corr_group *g, int64_t now)
{
    return (g->n == 0 || now - g->newest > gs->window_ms) && now >= g->suppress_until;
}

/* The slot a new group goes into when all max are taken. */
static int32_t victim(struct corr_groups *gs, int64_t now)
{
    size_t lru = 0;
    for (size_t i = 0; i < gs->used; i++) {
        if (dead(gs, &gs->slot[i], now))
            return (int32_t)i;
        if (gs->slot[i].touched < gs->slot[lru].touched)
            lru = i;
    }
    gs->evicted++;
    return (int32_t)lru;
}

struct corr_group *corr_groups_get(struct corr_groups *gs, const char *key, int64_t now,
                                   uint64_t tick)
{
    uint64_t h = hash_key(key);
    size_t i = probe(gs, key, h);
    if (gs->index[i] >= 0) {
        struct corr_group *g = &gs->slot[gs->index[i]];
        g->touched = tick;
        return g;
    }
    char *k = strdup(key);
    struct corr_entry *ent = malloc(gs->cap * sizeof(*ent));
    int32_t s;
    if (!k || !ent)
        goto oom;
    if (gs->used < gs->max) {
        if (gs->used == gs->nslots) {
            size_t n = gs->nslots ? gs->nslots * 2 : 16;
            n = n > gs->max ? gs->max : n;
            struct corr_group *slot = realloc(gs->slot, n * sizeof(*slot));
            if (!slot)
                goto oom;
            gs->slot = slot;
            gs->nslots = n;
        }
        s = (int32_t)gs->used++;
    } else {
        s = victim(gs, now);
        unindex(gs, s);
        free(gs->slot[s].key);
        free(gs->slot[s].ent);
    }
    /* The victim's removal may have shifted key's run: probe again. */
    i = probe(gs, key, h);
    struct corr_group *g = &gs->slot[s];
    memset(g, 0, sizeof(*g));
    g->key = k;
    g->hash = h;
    g->ent = ent;
    g->touched = tick;
    g->suppress_until = INT64_MIN;
    gs->index[i] = s;
    return g;
oom:
    free(k);
    free(ent);
    return NULL;
}

void corr_group_prune(const struct corr_groups *gs, struct corr_group *g, int64_t now)
{
    /* Entries arrive in stream order, which is time order only roughly:
     * compact the whole array rather than cut a prefix. */
    size_t w = 0;
    for (size_t r = 0; r < g->n; r++)
        if (now - g->ent[r].t <= gs->window_ms)
            g->ent[w++] = g->ent[r];
    g->n = w;
}

void corr_group_push(const struct corr_groups *gs, struct corr_group *g, int64_t t, const char *id)
{
    if (g->n == gs->cap) {
        memmove(g->ent, g->ent + 1, (g->n - 1) * sizeof(*g->ent));
        g->n--;
    }
    struct corr_entry *e = &g->ent[g->n++];
    e->t = t;
    strncpy(e->id, id, sizeof(e->id) - 1);
    e->id[sizeof(e->id) - 1] = '\0';
    if (g->n == 1 || t > g->newest)
        g->newest = t;
}
