/* A module's heartbeat counters as one table: each counter registered
 * once, by name and where its value lives, and written into the
 * heartbeat's "counters" object by shared code (in the spirit of
 * rsyslog's statsobj), never field by field. */
#ifndef SIEM_COUNTERS_H
#define SIEM_COUNTERS_H

#include "cJSON.h"

enum module_counter_kind {
    MODULE_COUNTER_ULONG, /* at: an unsigned long (uint64_t) the module adds to */
    MODULE_COUNTER_UINT,  /* at: an unsigned int (uint32_t) */
    MODULE_COUNTER_INT,   /* at: an int (a flag) */
    MODULE_COUNTER_FN,    /* fn(): a value kept elsewhere (an engine's) */
};

struct module_counter {
    const char *name; /* its key under "counters" */
    enum module_counter_kind kind;
    const void *at;
    double (*fn)(void);
};

/* Table entries: COUNTER("events", events) for a variable (its type picks
 * the kind), COUNTER_FN("untimed_events", fn); COUNTER_END ends it. */
/* clang-format off */
#define COUNTER_KIND(var) _Generic(&(var), unsigned long *: MODULE_COUNTER_ULONG, \
                                   unsigned *: MODULE_COUNTER_UINT, int *: MODULE_COUNTER_INT)
#define COUNTER(n, var) {n, COUNTER_KIND(var), &(var), NULL}
#define COUNTER_FN(n, f) {n, MODULE_COUNTER_FN, NULL, f}
#define COUNTER_END {NULL, MODULE_COUNTER_FN, NULL, NULL}
/* clang-format on */

struct module_counters {
    void (*snapshot)(void); /* NULL, or run first: copies values a lock guards */
    const struct module_counter *table;
    void (*more)(cJSON *counters); /* NULL, or adds what is not a number (per-rule objects) */
};

/* Writes the counters into obj in the table's order, then more's. */
void module_counters_json(const struct module_counters *c, cJSON *obj);

#endif
