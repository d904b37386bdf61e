/* Authoritative answers (RFC 1034 section 4.3.2): exact matches, CNAME
 * chains inside the zone, wildcards (RFC 4592), referrals with glue,
 * NXDOMAIN/NODATA with the SOA (RFC 2308), minimal ANY (RFC 8482). The
 * message framing around it (EDNS, truncation, errors) is in respond.c. */
#include <string.h>

#include "dns.h"

void resp_truncate(struct resp *r)
{
    r->w.len = r->qend;
    r->w.ncomp = r->qcomp;
    memset(r->count, 0, sizeof(r->count));
    r->tc = true;
}

/* Adds a whole RRset under owner. If it does not fit in the answer or
 * authority section, the response becomes an empty truncated one (as a
 * client must retry over TCP anyway, RFC 2181 section 9); an additional
 * RRset that does not fit is left out, setting TC only when required. */
int resp_add(struct resp *r, enum section section, const uint8_t *owner, const struct rrset *s,
             uint32_t ttl, bool required)
{
    if (r->tc)
        return -1;
    size_t len0 = r->w.len;
    int comp0 = r->w.ncomp;
    for (uint32_t i = 0; i < s->count; i++) {
        const struct rdref *d = &r->db->rdata[s->first + i];
        if (wire_put_rr(&r->w, owner, s->type, C_IN, ttl, r->db->arena + d->off, d->len) < 0) {
            r->w.len = len0;
            r->w.ncomp = comp0;
            if (section != SEC_AR)
                resp_truncate(r);
            else if (required)
                r->tc = true;
            return -1;
        }
    }
    r->count[section] = (uint16_t)(r->count[section] + s->count);
    return 0;
}

/* RFC 2308 section 3: the SOA goes in the authority section with the
 * smaller of its TTL and its MINIMUM field as TTL. Not for QCLASS=*: such
 * answers are never authoritative, and without the SOA a negative answer
 * is not cached (RFC 2308 sections 2.1 and 5), as NSD does too. */
static void add_negative_soa(struct resp *r)
{
    if (r->q->qclass == C_ANY)
        return;
    uint32_t apex = r->db->zone[r->zone].apex;
    const struct rrset *soa = db_rrset(r->db, apex, T_SOA);
    const struct rdref *d = &r->db->rdata[soa->first];
    uint32_t min = get32(r->db->arena + d->off + d->len - 4);
    resp_add(r, SEC_NS, db_name(r->db, apex), soa, soa->ttl < min ? soa->ttl : min, false);
}

/* A and AAAA of name servers found in this zone (glue below a cut, or
 * authoritative data), each RRset once. In a referral, glue for a server
 * below the cut is required (RFC 9471): without it the delegation cannot
 * be followed. */
static void add_ns_addresses(struct resp *r, const struct rrset *ns, const uint8_t *cut)
{
    const struct db *db = r->db;
    const uint8_t *apex = db_name(db, db->zone[r->zone].apex);
    for (int pass = 0; pass < 2; pass++) {
        uint16_t type = pass == 0 ? T_A : T_AAAA;
        for (uint32_t i = 0; i < ns->count; i++) {
            const uint8_t *target = db->arena + db->rdata[ns->first + i].off;
            if (!name_is_below(target, apex))
                continue;
            uint32_t node = db_lookup(db, r->zone, target, name_hash(target));
            const struct rrset *s = node == DB_NONE ? NULL : db_rrset(db, node, type);
            if (!s)
                continue;
            bool seen = false;
            for (int k = 0; k < r->nadded; k++)
                seen |= r->added[k] == s;
            if (seen || r->nadded == ADDED_MAX)
                continue;
            r->added[r->nadded++] = s;
            resp_add(r, SEC_AR, db_name(db, node), s, s->ttl, cut && name_is_below(target, cut));
        }
    }
}

/* RFC 1034 section 4.3.2 step 3b: the NS RRset of the cut in authority, its
 * glue in additional, AA clear unless a CNAME led here. */
static void referral(struct resp *r, uint32_t cut)
{
    const struct rrset *ns = db_rrset(r->db, cut, T_NS);
    if (r->count[SEC_AN] == 0)
        r->aa = false;
    if (resp_add(r, SEC_NS, db_name(r->db, cut), ns, ns->ttl, false) == 0)
        add_ns_addresses(r, ns, db_name(r->db, cut));
}

/* The data at node for the question, with owner as the owner name (the
 * query's name, or a CNAME target; for a wildcard, the name it stands
 * for). Returns the CNAME target to follow, or NULL. */
static const uint8_t *answer_node(struct resp *r, uint32_t node, const uint8_t *owner)
{
    const struct db *db = r->db;
    const struct node *n = &db->node[node];
    uint16_t qtype = r->q->qtype;
    const struct rrset *cname = db_rrset(db, node, T_CNAME), *s = NULL;
    if (qtype == T_ANY) {
        /* RFC 8482 section 4.1: one RRset is enough; the SOA at the apex,
         * otherwise the lowest type, a CNAME being alone at its name. */
        s = (n->flags & N_APEX) ? db_rrset(db, node, T_SOA)
                                : (n->nrrsets ? &db->rrset[n->rrsets] : NULL);
    } else if (cname && qtype != T_CNAME) {
        if (resp_add(r, SEC_AN, owner, cname, cname->ttl, false) < 0)
            return NULL;
        return db->arena + db->rdata[cname->first].off;
    } else {
        s = db_rrset(db, node, qtype);
    }
    if (!s) {
        add_negative_soa(r); /* NODATA (RFC 2308 section 2.2) */
        return NULL;
    }
    if (resp_add(r, SEC_AN, owner, s, s->ttl, false) == 0 && s->type == T_NS)
        add_ns_addresses(r, s, NULL);
    return NULL;
}

/* Looks up name in r->zone and answers from what is there; returns the
 * CNAME target to follow next, or NULL when the answer is complete. */
static const uint8_t *step(struct resp *r, const uint8_t *name)
{
    const struct db *db = r->db;
    uint8_t offs_buf[DNS_LABELS_MAX], *offs = r->qoffs;
    uint32_t hash_buf[DNS_LABELS_MAX], *hash = r->qhash;
    int n = r->qlabels;
    if (name != r->q->qname.wire) { /* a CNAME target */
        offs = offs_buf;
        hash = hash_buf;
        n = name_labels(name, offs);
        name_suffix_hashes(name, n, offs, hash);
    }
    uint32_t node = db_lookup(db, r->zone, name, hash[0]);
    if (node != DB_NONE) {
        uint32_t cut = db->node[node].cut;
        /* The parent side answers DS at the cut itself (RFC 4035 section
         * 3.1.4.1): no referral for it. */
        if (cut != DB_NONE && !(r->q->qtype == T_DS && cut == node)) {
            referral(r, cut);
            return NULL;
        }
        return answer_node(r, node, name);
    }
    /* The closest encloser: the longest existing ancestor. The apex
     * exists, so the search ends inside the zone. */
    uint32_t ce = DB_NONE;
    for (int i = 1; i < n && ce == DB_NONE; i++)
        ce = db_lookup(db, r->zone, name + offs[i], hash[i]);
    if (ce == DB_NONE)
        return NULL; /* unreachable: the name is below the apex */
    if (db->node[ce].cut != DB_NONE) {
        referral(r, db->node[ce].cut);
        return NULL;
    }
    if (db->node[ce].wild != DB_NONE) /* synthesis: RFC 4592 section 3.3 */
        return answer_node(r, db->node[ce].wild, name);
    r->rcode = RC_NXDOMAIN;
    add_negative_soa(r);
    return NULL;
}

/* Answers r->q from r->zone, following CNAMEs while their targets stay in
 * the zone, stopping at DNS_CNAME_CHAIN or when a name repeats (a loop). */
void answer_authoritative(struct resp *r)
{
    const uint8_t *seen[DNS_CNAME_CHAIN + 1];
    const uint8_t *name = r->q->qname.wire;
    const uint8_t *apex = db_name(r->db, r->db->zone[r->zone].apex);
    r->aa = true;
    for (int hops = 0; name; hops++) {
        seen[hops] = name;
        const uint8_t *next = step(r, name);
        if (!next || hops == DNS_CNAME_CHAIN || !name_is_below(next, apex))
            break;
        uint8_t offs[DNS_LABELS_MAX];
        uint32_t hash[DNS_LABELS_MAX];
        int n = name_labels(next, offs);
        name_suffix_hashes(next, n, offs, hash);
        if (db_find_zone(r->db, next, n, offs, hash) != r->zone)
            break; /* a zone nested below this one holds it */
        for (int i = 0; i <= hops && next; i++)
            if (name_equal(seen[i], next))
                next = NULL;
        name = next;
    }
}
