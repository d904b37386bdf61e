/* The normaliser's TCP and RELP connections as one table: caps per source
 * address and in total, and which connection gives way to a new one. */
#ifndef NORMALISER_CONNS_H
#define NORMALISER_CONNS_H

#include <stdint.h>

struct conn {
    struct conn *prev, *next;
    uint32_t addr;     /* the peer's IPv4 address */
    long long last_ns; /* when it was accepted or last sent bytes */
    int evicted;       /* it gave way to a newer connection: close it */
};

/* Caps: connections from one address, and all of them. */
void conns_init(int max_total, int max_per_source);

/* Takes c in (accepted at now_ns). When its address already has
 * max_per_source connections, the one of them that has been quiet longest
 * gives way (is flagged evicted and taken out); when all max_total are in
 * use, the quietest of the address holding the most gives way. Returns 1
 * when a connection was evicted. */
int conns_add(struct conn *c, long long now_ns);

/* c received bytes at now_ns. */
void conns_touch(struct conn *c, long long now_ns);

/* c's thread is done with it (evicted or not). */
void conns_remove(struct conn *c);

/* Blocks while max_closing evicted connections are still open, so that a
 * burst of connections cannot run the stack out of sockets before the
 * evicted ones are closed. */
void conns_wait_closing(int max_closing);

#endif
