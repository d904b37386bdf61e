/* Per-source token buckets. */
#include "quota.h"

#include <stdio.h>
#include <string.h>

#include "fnv1a.h"

void quota_init(struct quota *q, double rate, double burst)
{
    memset(q, 0, sizeof(*q));
    q->rate = rate;
    q->burst = burst;
}

/* ip's bucket: its own, else a free one or the one idle longest in its
 * set, refilled to the burst (a new source starts with a full bucket). */
static struct quota_bucket *bucket(struct quota *q, const char *ip, int64_t now)
{
    size_t set =
        (size_t)(siem_fnv1a64(SIEM_FNV1A64_BASIS, ip, strlen(ip)) % (QUOTA_SOURCES / QUOTA_WAYS)) *
        QUOTA_WAYS;
    struct quota_bucket *victim = &q->b[set];
    for (size_t i = set; i < set + QUOTA_WAYS; i++) {
        struct quota_bucket *b = &q->b[i];
        if (b->ip[0] && strcmp(b->ip, ip) == 0)
            return b;
        if (victim->ip[0] && (!b->ip[0] || b->last < victim->last))
            victim = b; /* a free slot, else the one idle longest */
    }
    snprintf(victim->ip, sizeof(victim->ip), "%s", ip);
    victim->tokens = q->burst;
    victim->last = now;
    return victim;
}

int64_t quota_take(struct quota *q, const char *ip, size_t len, int64_t now)
{
    if (q->rate <= 0)
        return 0;
    struct quota_bucket *b = bucket(q, ip, now);
    if (now > b->last) {
        b->tokens += (double)(now - b->last) * q->rate / 1000.0;
        if (b->tokens > q->burst)
            b->tokens = q->burst;
    }
    b->last = now > b->last ? now : b->last;
    double cost = (double)len + QUOTA_RECORD_COST;
    if (cost > q->burst)
        cost = q->burst;
    if (b->tokens >= cost) {
        b->tokens -= cost;
        return 0;
    }
    return (int64_t)((cost - b->tokens) * 1000.0 / q->rate) + 1;
}
