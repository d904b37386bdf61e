/* Query counters: per transport, per response code, per query type, and
 * malformed messages; readable over DNS as the CHAOS TXT record
 * "stats.server." (like BIND's and NSD's CHAOS names) and as a log line. */
#include <stdio.h>
#include <string.h>

#include "dns.h"

static const char *const counter_names[S_COUNTERS] = {
    "queries",  "udp",     "tcp",     "malformed", "truncated", "noerror",
    "nxdomain", "refused", "formerr", "notimp",    "badvers",
};

/* The query types with their own counter; everything else is "other". */
static const struct {
    uint16_t type;
    const char *name;
} slots[] = {
    {T_A, "A"},   {T_NS, "NS"},   {T_CNAME, "CNAME"}, {T_SOA, "SOA"},   {T_PTR, "PTR"},
    {T_MX, "MX"}, {T_TXT, "TXT"}, {T_AAAA, "AAAA"},   {T_SRV, "SRV"},   {T_CAA, "CAA"},
    {T_DS, "DS"}, {T_ANY, "ANY"}, {T_AXFR, "AXFR"},   {T_IXFR, "IXFR"},
};
#define SLOTS (sizeof(slots) / sizeof(slots[0]))
_Static_assert(SLOTS + 1 <= sizeof(((struct stats *)0)->qtype) / sizeof(uint64_t),
               "struct stats has a slot per named type plus 'other'");

void stats_query(struct stats *s, uint16_t qtype)
{
    size_t i = 0;
    while (i < SLOTS && slots[i].type != qtype)
        i++;
    s->c[S_QUERIES]++;
    s->qtype[i]++; /* i == SLOTS: other */
}

void stats_rcode(struct stats *s, int rcode)
{
    switch (rcode) {
    case RC_NOERROR:
        s->c[S_NOERROR]++;
        break;
    case RC_NXDOMAIN:
        s->c[S_NXDOMAIN]++;
        break;
    case RC_REFUSED:
        s->c[S_REFUSED]++;
        break;
    case RC_FORMERR:
        s->c[S_FORMERR]++;
        break;
    case RC_NOTIMP:
        s->c[S_NOTIMP]++;
        break;
    case RC_BADVERS:
        s->c[S_BADVERS]++;
        break;
    default:
        break;
    }
}

/* Calls f for every "name=value" item: all counters, then the query types
 * that were asked at least once. */
static int each_item(const struct stats *s, int (*f)(void *ctx, const char *item), void *ctx)
{
    char item[48];
    for (int i = 0; i < S_COUNTERS; i++) {
        snprintf(item, sizeof(item), "%s=%llu", counter_names[i], (unsigned long long)s->c[i]);
        if (f(ctx, item) < 0)
            return -1;
    }
    for (size_t i = 0; i <= SLOTS; i++) {
        if (s->qtype[i] == 0)
            continue;
        snprintf(item, sizeof(item), "%s=%llu", i < SLOTS ? slots[i].name : "other",
                 (unsigned long long)s->qtype[i]);
        if (f(ctx, item) < 0)
            return -1;
    }
    return 0;
}

struct buf {
    uint8_t *p;
    size_t len, cap;
};

static int add_item(void *ctx, const char *item)
{
    struct buf *b = ctx;
    size_t n = strlen(item);
    if (b->len + n + 2 > b->cap)
        return -1;
    b->p[b->len++] = (uint8_t)n;
    memcpy(b->p + b->len, item, n);
    b->len += n;
    return 0;
}

/* TXT RDATA: one character-string per item. Returns its length or -1. */
int stats_txt(const struct stats *s, uint8_t *out, size_t cap)
{
    struct buf b = {out, 0, cap};
    return each_item(s, add_item, &b) < 0 ? -1 : (int)b.len;
}
