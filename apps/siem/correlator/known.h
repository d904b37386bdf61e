/* The firings a restarted correlator must repeat while it replays: a set
 * of (rule, trigger event id) pairs taken from alerts already published. */
#ifndef CORR_KNOWN_H
#define CORR_KNOWN_H

#include <stddef.h>

#include "groups.h"

struct corr_known_entry {
    size_t rule; /* index in the rule set, +1: 0 marks an empty cell */
    char id[CORR_EVENT_ID_LEN];
};

struct corr_known {
    struct corr_known_entry *cell; /* open addressing, linear probing */
    size_t size, count;
};

/* Adds (rule, id); 0, or -1 when out of memory. Adding twice is harmless. */
int corr_known_add(struct corr_known *k, size_t rule, const char *id);

/* 1 when (rule, id) was added. */
int corr_known_has(const struct corr_known *k, size_t rule, const char *id);

void corr_known_free(struct corr_known *k);

#endif
