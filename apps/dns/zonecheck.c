/* Rules over a whole parsed zone: one SOA, NS records at the apex, a CNAME
 * alone at its name; records sorted in canonical order, duplicates dropped,
 * and one TTL per RRset. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"

/* Canonical order (RFC 4034 section 6.1) of owners, then type, then RDATA
 * octets: the order db.c builds its nodes and RRsets in. */
static int rr_cmp(const struct zone *z, const struct zrr *a, const struct zrr *b)
{
    int d = a->owner == b->owner
                ? 0
                : name_canonical_cmp(zone_name(z, a->owner), zone_name(z, b->owner));
    if (d != 0)
        return d;
    if (a->type != b->type)
        return a->type < b->type ? -1 : 1;
    size_t n = a->rdlen < b->rdlen ? a->rdlen : b->rdlen;
    d = memcmp(z->arena + a->rdata, z->arena + b->rdata, n);
    if (d != 0)
        return d;
    return (int)a->rdlen - (int)b->rdlen;
}

/* A stable merge sort, since the C library's qsort takes no context. */
static void sort(const struct zone *z, struct zrr *v, struct zrr *tmp, size_t n)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    sort(z, v, tmp, h);
    sort(z, v + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = rr_cmp(z, &v[j], &v[i]) < 0 ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof(*v));
}

static int fail_at(const struct zone *z, uint32_t owner, char *why, size_t whylen, const char *what)
{
    char name[256];
    name_to_text(zone_name(z, owner), name, sizeof(name));
    snprintf(why, whylen, "%s at %s", what, name);
    return -1;
}

int zone_check(struct zone *z, char *why, size_t whylen, unsigned *line)
{
    unsigned soa_line = z->rr[0].line;
    for (size_t i = 1; i < z->nrr; i++) {
        if (z->rr[i].type == T_SOA) {
            *line = z->rr[i].line;
            snprintf(why, whylen, "a second SOA record (the zone's SOA is at line %u)", soa_line);
            return -1;
        }
    }
    struct zrr *tmp = malloc(z->nrr * sizeof(*tmp));
    if (!tmp) {
        *line = soa_line;
        snprintf(why, whylen, "out of memory");
        return -1;
    }
    sort(z, z->rr, tmp, z->nrr);
    free(tmp);

    /* RFC 2181 section 5: an RRset holds no duplicates, so drop them. */
    size_t out = 0;
    for (size_t i = 0; i < z->nrr; i++)
        if (out == 0 || rr_cmp(z, &z->rr[out - 1], &z->rr[i]) != 0)
            z->rr[out++] = z->rr[i];
    z->nrr = out;

    bool apex_ns = false;
    for (size_t i = 0; i < z->nrr;) {
        size_t end = i;
        const uint8_t *owner = zone_name(z, z->rr[i].owner);
        while (end < z->nrr && name_equal(zone_name(z, z->rr[end].owner), owner))
            end++;
        unsigned last = 0;
        int cnames = 0;
        for (size_t k = i; k < end; k++) {
            cnames += z->rr[k].type == T_CNAME;
            last = z->rr[k].line > last ? z->rr[k].line : last;
        }
        /* RFC 1034 section 3.6.2 and RFC 2181 section 10.1: a CNAME is the
         * only data at its name. */
        if (cnames > 1) {
            *line = last;
            return fail_at(z, z->rr[i].owner, why, whylen, "more than one CNAME");
        }
        if (cnames == 1 && end - i > 1) {
            *line = last;
            return fail_at(z, z->rr[i].owner, why, whylen, "CNAME and other data");
        }
        if (name_equal(owner, zone_name(z, z->apex)))
            for (size_t k = i; k < end; k++)
                apex_ns |= z->rr[k].type == T_NS;
        /* RFC 2181 section 5.2: differing TTLs in one RRset are treated as
         * the lowest of them. */
        for (size_t k = i; k < end;) {
            size_t e = k;
            uint32_t ttl = z->rr[k].ttl;
            while (e < end && z->rr[e].type == z->rr[k].type)
                ttl = z->rr[e].ttl < ttl ? z->rr[e].ttl : ttl, e++;
            for (; k < e; k++)
                z->rr[k].ttl = ttl;
        }
        i = end;
    }
    if (!apex_ns) {
        *line = soa_line;
        return fail_at(z, z->apex, why, whylen, "no NS records at the zone apex");
    }
    return 0;
}
