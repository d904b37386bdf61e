/* The groups of one rule: per group value, the counted events still inside
 * the window and the end of a suppression; at most a fixed number of
 * groups, the least recently used one evicted when a new one needs room. */
#ifndef CORR_GROUPS_H
#define CORR_GROUPS_H

#include <stddef.h>
#include <stdint.h>

#define CORR_EVENT_ID_LEN 33 /* event.id: 32 hex digits and a NUL */

struct corr_entry {
    int64_t t;                  /* event time, ms */
    char id[CORR_EVENT_ID_LEN]; /* event.id, "" when it had none */
};

struct corr_group {
    char *key;              /* the group field's value */
    uint64_t hash;          /* of key, kept for the index's deletions */
    int64_t suppress_until; /* events before this time are not counted */
    int64_t newest;         /* latest entry time: tells a dead group */
    uint64_t touched;       /* sequence number of the last event: for LRU */
    struct corr_entry *ent; /* counted events in arrival order, ent[0] oldest */
    size_t n;
};

struct corr_groups {
    struct corr_group *slot; /* grows up to max */
    size_t nslots, used, max;
    int32_t *index; /* open addressing, linear probing; -1 empty */
    size_t mask;
    size_t cap; /* entries kept per group */
    int64_t window_ms;
    uint64_t evicted; /* live groups pushed out to make room */
};

/* max groups of at most cap entries each; 0 or -1 (out of memory). */
int corr_groups_init(struct corr_groups *gs, size_t max, size_t cap, int64_t window_ms);
void corr_groups_free(struct corr_groups *gs);

/* The group for key, or NULL when there is none. */
struct corr_group *corr_groups_find(struct corr_groups *gs, const char *key);

/* The group for key, created if needed (which may evict the least
 * recently used group when all max are live; a group whose events have
 * all left the window and whose suppression is over is reused first).
 * tick orders uses. NULL when out of memory. The pointer is valid until
 * the next call that creates a group. */
struct corr_group *corr_groups_get(struct corr_groups *gs, const char *key, int64_t now,
                                   uint64_t tick);

/* Drops the entries that have left the window at time now: an entry
 * counts while now - t <= window. */
void corr_group_prune(const struct corr_groups *gs, struct corr_group *g, int64_t now);

/* Appends a counted event, dropping the oldest entry when the group holds
 * cap entries already. */
void corr_group_push(const struct corr_groups *gs, struct corr_group *g, int64_t t, const char *id);

#endif
