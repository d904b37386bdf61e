/* The bus's requests waiting for replies, by request id: a small hash
 * table (the normaliser keeps hundreds in flight, and every reply finds
 * its own in one step), with a lower bound of the earliest deadline so
 * the expirer looks through them only when one may be due. The caller
 * locks. */
#ifndef SIEM_BUS_PENDING_H
#define SIEM_BUS_PENDING_H

#include <stddef.h>
#include <stdint.h>

#include "bus.h"

/* A request waiting for its reply on <inbox>.r.<id>. */
struct pending {
    struct pending *next;
    uint64_t id;
    int64_t deadline_ns;
    bus_reply_fn done; /* NULL: a synchronous caller waits for msg */
    void *ctx;
    struct bus_msg *msg;
    int finished;
};

/* Ids are handed out one after the other, so id modulo the size spreads
 * them evenly; chains stay short up to thousands in flight. */
#define PENDING_BUCKETS 1024

struct pending_set {
    struct pending *bucket[PENDING_BUCKETS];
    size_t count;
    int64_t earliest;    /* no deadline is before this */
    unsigned long scans; /* times the expirer looked through all */
};

void pending_init(struct pending_set *s);
void pending_add(struct pending_set *s, struct pending *p);

/* Unlinks and returns the request with id; NULL when there is none. */
struct pending *pending_take(struct pending_set *s, uint64_t id);

/* Unlinks p if it is still in the set. */
void pending_remove(struct pending_set *s, struct pending *p);

/* Unlinks every request whose deadline is at or before now (INT64_MAX:
 * all) and returns them linked by next. Looks through the set only when
 * now has reached the earliest deadline. */
struct pending *pending_take_due(struct pending_set *s, int64_t now);

#endif
