/* The answer index, built once when zones load: one node per owner name
 * and per empty non-terminal, hashed by name, each node knowing its
 * RRsets, its wildcard child and the zone cut above it. A query then costs
 * a few hash probes; it never scans a zone and never allocates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"

static bool is_wildcard(const uint8_t *name)
{
    return name[0] == 1 && name[1] == '*';
}

uint32_t db_lookup(const struct db *db, int zone, const uint8_t *name, uint32_t hash)
{
    for (uint32_t i = db->bucket[hash & db->mask]; i != DB_NONE; i = db->node[i].next) {
        const struct node *n = &db->node[i];
        if (n->hash == hash && n->zone == zone && name_equal(db->arena + n->name, name))
            return i;
    }
    return DB_NONE;
}

/* The zone whose apex is the longest suffix of name, or -1: the deepest
 * served zone wins when zones nest. */
int db_find_zone(const struct db *db, const uint8_t *name, int nlabels, const uint8_t *offsets,
                 const uint32_t *hashes)
{
    for (int i = 0; i < nlabels; i++) {
        const uint8_t *suffix = name + offsets[i];
        for (uint32_t k = db->bucket[hashes[i] & db->mask]; k != DB_NONE; k = db->node[k].next) {
            const struct node *n = &db->node[k];
            if ((n->flags & N_APEX) && n->hash == hashes[i] &&
                name_equal(db->arena + n->name, suffix))
                return n->zone;
        }
    }
    return -1;
}

const struct rrset *db_rrset(const struct db *db, uint32_t node, uint16_t type)
{
    const struct node *n = &db->node[node];
    for (uint32_t i = 0; i < n->nrrsets; i++)
        if (db->rrset[n->rrsets + i].type == type)
            return &db->rrset[n->rrsets + i];
    return NULL;
}

static uint32_t add_node(struct db *db, uint32_t name, int zone)
{
    uint32_t i = db->nnodes++;
    struct node *n = &db->node[i];
    memset(n, 0, sizeof(*n));
    n->name = name;
    n->hash = name_hash(db->arena + name);
    n->zone = (uint16_t)zone;
    n->cut = n->wild = DB_NONE;
    n->next = db->bucket[n->hash & db->mask];
    db->bucket[n->hash & db->mask] = i;
    return i;
}

/* Nodes for one zone's (sorted) records; base is where the zone's arena
 * was copied in db->arena. */
static void add_zone(struct db *db, const struct zone *z, int zi, uint32_t base)
{
    const uint8_t *apex = z->arena + z->apex;
    size_t apex_len = name_len(apex);
    for (size_t i = 0; i < z->nrr;) {
        uint32_t owner = base + z->rr[i].owner;
        const uint8_t *name = db->arena + owner;
        uint32_t node = db_lookup(db, zi, name, name_hash(name));
        if (node == DB_NONE)
            node = add_node(db, owner, zi);
        struct node *n = &db->node[node];
        n->rrsets = db->nrrsets;
        for (; i < z->nrr && name_equal(z->arena + z->rr[i].owner, name);) {
            struct rrset *s = &db->rrset[db->nrrsets++];
            s->type = z->rr[i].type;
            s->ttl = z->rr[i].ttl;
            s->first = db->records;
            s->count = 0;
            for (; i < z->nrr && z->rr[i].type == s->type &&
                   name_equal(z->arena + z->rr[i].owner, name);
                 i++) {
                db->rdata[db->records].off = base + z->rr[i].rdata;
                db->rdata[db->records].len = z->rr[i].rdlen;
                db->records++;
                s->count++;
            }
            n->nrrsets++;
            if (s->type == T_NS && name_len(name) != apex_len)
                n->flags |= N_CUT;
        }
        /* The apex has no ancestors in the zone, and the root apex has no
         * parent at all: the bytes after its name are other data. */
        if (name_len(name) == apex_len) {
            n->flags |= N_APEX;
            continue;
        }
        /* Empty non-terminals (RFC 4592 section 2.2.2) exist as nodes so a
         * name between the apex and this one is NODATA, not NXDOMAIN, and
         * blocks wildcards. Ancestors come earlier in canonical order, so
         * stop at the first one already present. */
        for (uint32_t off = owner + 1 + name[0]; name_len(db->arena + off) > apex_len;
             off += 1 + db->arena[off]) {
            const uint8_t *up = db->arena + off;
            if (db_lookup(db, zi, up, name_hash(up)) != DB_NONE)
                break;
            add_node(db, off, zi);
        }
    }
}

/* Per node: its wildcard child, and the topmost zone cut at or above it
 * (data at or below a cut is glue, answered only by referral). */
static void link_nodes(struct db *db)
{
    for (uint32_t i = 0; i < db->nnodes; i++) {
        struct node *n = &db->node[i];
        const uint8_t *name = db->arena + n->name;
        if (n->flags & N_APEX)
            continue;
        if (is_wildcard(name)) {
            const uint8_t *parent = name + 2;
            uint32_t p = db_lookup(db, n->zone, parent, name_hash(parent));
            if (p != DB_NONE)
                db->node[p].wild = i;
        }
        const uint8_t *apex = db_name(db, db->zone[n->zone].apex);
        size_t apex_len = name_len(apex);
        for (const uint8_t *up = name; name_len(up) > apex_len; up += 1 + up[0]) {
            uint32_t u = db_lookup(db, n->zone, up, name_hash(up));
            if (u != DB_NONE && (db->node[u].flags & N_CUT))
                n->cut = u;
        }
    }
}

int db_build(struct db *db, struct zone *zones, int nzones, char *err, size_t errlen)
{
    memset(db, 0, sizeof(*db));
    size_t arena = 0, records = 0, nodes = 0;
    for (int i = 0; i < nzones; i++) {
        const struct zone *z = &zones[i];
        int apex_labels = name_labels(z->arena + z->apex, (uint8_t[DNS_LABELS_MAX]){0});
        arena += z->used;
        records += z->nrr;
        for (size_t k = 0; k < z->nrr; k++) {
            if (k > 0 && z->rr[k].owner == z->rr[k - 1].owner)
                continue;
            int depth =
                name_labels(z->arena + z->rr[k].owner, (uint8_t[DNS_LABELS_MAX]){0}) - apex_labels;
            nodes += depth > 0 ? (size_t)depth : 1; /* the owner and its new ancestors */
        }
    }
    size_t buckets = 64;
    while (buckets < 2 * nodes)
        buckets *= 2;
    if (nzones > UINT16_MAX || arena > UINT32_MAX || nodes >= DB_NONE || records >= DB_NONE)
        goto too_big;
    db->arena = malloc(arena ? arena : 1);
    db->node = malloc((nodes ? nodes : 1) * sizeof(*db->node));
    db->rrset = malloc((records ? records : 1) * sizeof(*db->rrset));
    db->rdata = malloc((records ? records : 1) * sizeof(*db->rdata));
    db->bucket = malloc(buckets * sizeof(*db->bucket));
    db->zone = calloc((size_t)(nzones ? nzones : 1), sizeof(*db->zone));
    if (!db->arena || !db->node || !db->rrset || !db->rdata || !db->bucket || !db->zone)
        goto too_big;
    db->mask = (uint32_t)(buckets - 1);
    memset(db->bucket, 0xff, buckets * sizeof(*db->bucket)); /* DB_NONE */

    uint32_t base = 0;
    for (int i = 0; i < nzones; i++) {
        const struct zone *z = &zones[i];
        memcpy(db->arena + base, z->arena, z->used);
        uint32_t before = db->records;
        add_zone(db, z, i, base);
        const uint8_t *apex = db->arena + base + z->apex;
        db->zone[i].apex = db_lookup(db, i, apex, name_hash(apex));
        db->zone[i].records = db->records - before;
        db->zone[i].file = z->file;
        for (int k = 0; k < i; k++) {
            if (name_equal(db_name(db, db->zone[k].apex), apex)) {
                char n[256];
                name_to_text(apex, n, sizeof(n));
                snprintf(err, errlen, "%s: zone %s is already loaded from %s", z->file, n,
                         db->zone[k].file);
                db_free(db);
                return -1;
            }
        }
        base += (uint32_t)z->used;
    }
    db->nzones = (uint16_t)nzones;
    link_nodes(db);
    return 0;
too_big:
    db_free(db);
    snprintf(err, errlen, "out of memory building the zone index (%zu records)", records);
    return -1;
}

void db_free(struct db *db)
{
    free(db->arena);
    free(db->node);
    free(db->rrset);
    free(db->rdata);
    free(db->bucket);
    free(db->zone);
    memset(db, 0, sizeof(*db));
}
