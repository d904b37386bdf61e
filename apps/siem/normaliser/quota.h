/* Per-source quotas: a token bucket of bytes per sender address, so one
 * sender cannot take the whole bus and store (docs/siem.md, "Per-source
 * quotas"). Pure logic: the caller passes the time. Threads are
 * cooperative and quota_take never blocks, so no lock is needed. */
#ifndef NORMALISER_QUOTA_H
#define NORMALISER_QUOTA_H

#include <stddef.h>
#include <stdint.h>

/* Sources tracked at once (in sets of QUOTA_WAYS by address hash); a new
 * source takes the slot of its set that was idle longest. */
#define QUOTA_SOURCES 1024
#define QUOTA_WAYS 8
/* What a record costs beyond its own bytes: its event's JSON around it. */
#define QUOTA_RECORD_COST 512

struct quota_bucket {
    char ip[48];   /* "" when free */
    double tokens; /* bytes that may pass now */
    int64_t last;  /* ms of the last refill */
};

struct quota {
    struct quota_bucket b[QUOTA_SOURCES];
    double rate;  /* bytes per second; 0: no quota */
    double burst; /* bucket size, bytes */
};

/* rate bytes per second (0: off), up to burst bytes at once. */
void quota_init(struct quota *q, double rate, double burst);

/* Takes the cost of a record of len bytes from ip's bucket at now_ms:
 * returns 0 when it may pass, else the ms until the bucket will hold it
 * (nothing is taken then). A record larger than the burst passes when the
 * bucket is full, leaving it empty. */
int64_t quota_take(struct quota *q, const char *ip, size_t len, int64_t now_ms);

#endif
