/* One DNS message in, one response out: errors (FORMERR, NOTIMP, REFUSED),
 * EDNS (RFC 6891), the size limit and TC bit, the CHAOS statistics name,
 * and the header, around the answer that answer.c builds. */
#include <string.h>

#include "dns.h"

#define EDE_OPTION 15 /* RFC 8914 Extended DNS Error */
#define EDE_NOT_AUTHORITATIVE 20
#define OPT_LEN 11 /* an OPT record without options */
#define EDE_LEN 6

/* Header only, no question, no OPT: the answer to what we did not parse
 * or do not implement, as NSD answers it. */
static size_t header_only(uint8_t *out, size_t cap, const struct query *q, int rcode)
{
    if (cap < DNS_HEADER)
        return 0;
    memset(out, 0, DNS_HEADER);
    put16(out, q->id);
    put16(out + 2, (uint16_t)(F_QR | (q->opcode << 11) | (q->flags & F_RD) | rcode));
    return DNS_HEADER;
}

/* The UDP payload the response may fill: 512 without EDNS (RFC 1035
 * section 4.2.1); with EDNS the requester's size, at least 512 (RFC 6891
 * section 6.2.5) and at most what we advertise. */
static size_t size_limit(const struct query *q, bool tcp)
{
    if (tcp)
        return DNS_MSG_MAX;
    if (!q->edns)
        return DNS_UDP_MIN;
    size_t n = q->udp_size;
    return n < DNS_UDP_MIN ? DNS_UDP_MIN : n > DNS_EDNS_SIZE ? DNS_EDNS_SIZE : n;
}

/* The served zone holding the question's name. DS belongs to the parent
 * side of a cut (RFC 4035 section 3.1.4.1), so at a zone's apex it is
 * answered from the parent zone when that is served too. */
static int question_zone(struct resp *r)
{
    const struct db *db = r->db;
    const struct query *q = r->q;
    const uint8_t *name = q->qname.wire;
    uint8_t *offs = r->qoffs;
    uint32_t *hash = r->qhash;
    int n = r->qlabels = name_labels(name, offs);
    name_suffix_hashes(name, n, offs, hash);
    int z = db_find_zone(db, name, n, offs, hash);
    if (z >= 0 && q->qtype == T_DS && n > 1 && name_equal(name, db_name(db, db->zone[z].apex))) {
        int parent = db_find_zone(db, name, n - 1, offs + 1, hash + 1);
        if (parent >= 0)
            return parent;
    }
    return z;
}

/* CHAOS class: "stats.server." TXT gives the counters (stats.c); any
 * other CHAOS name is refused. */
static void chaos(struct resp *r, const struct stats *st)
{
    static const uint8_t stats_name[] = "\5stats\6server";
    uint8_t rdata[512];
    int len;
    if (!name_equal(r->q->qname.wire, stats_name) ||
        (r->q->qtype != T_TXT && r->q->qtype != T_ANY) || !st ||
        (len = stats_txt(st, rdata, sizeof(rdata))) < 0) {
        r->rcode = RC_REFUSED;
        return;
    }
    if (wire_put_rr(&r->w, r->q->qname.wire, T_TXT, C_CH, 0, rdata, (uint16_t)len) < 0)
        resp_truncate(r);
    else
        r->count[SEC_AN] = 1;
}

static void put_opt(struct resp *r, int ede)
{
    uint8_t opt[OPT_LEN + EDE_LEN] = {0};
    put16(opt + 1, T_OPT);
    put16(opt + 3, DNS_EDNS_SIZE);
    put32(opt + 5, (uint32_t)(r->rcode >> 4) << 24 | (r->q->edns_do ? 0x8000 : 0));
    size_t n = OPT_LEN;
    if (ede >= 0) {
        put16(opt + 9, EDE_LEN);
        put16(opt + 11, EDE_OPTION);
        put16(opt + 13, 2);
        put16(opt + 15, (uint16_t)ede);
        n += EDE_LEN;
    }
    /* dns_answer kept this room: OPT_LEN below the limit for any answer,
     * and EDE_LEN more for a refusal, which is only a question. */
    r->w.cap = r->w.len + n;
    if (wire_put_bytes(&r->w, opt, n) == 0)
        r->count[SEC_AR]++;
}

size_t dns_answer(const struct db *db, struct stats *st, const uint8_t *msg, size_t len,
                  uint8_t *out, size_t cap, bool tcp)
{
    struct query q;
    enum parse_result pr = wire_parse_query(msg, len, &q);
    if (st)
        st->c[tcp ? S_TCP : S_UDP]++;
    if (pr == P_DROP) {
        if (st)
            st->c[S_MALFORMED]++;
        return 0;
    }
    if (pr != P_OK) {
        int rcode = pr == P_FORMERR ? RC_FORMERR : RC_NOTIMP;
        if (st) {
            st->c[S_MALFORMED] += pr == P_FORMERR;
            stats_rcode(st, rcode);
        }
        return header_only(out, cap, &q, rcode);
    }
    if (st)
        stats_query(st, q.qtype);
    if (q.qclass != C_IN && q.qclass != C_ANY && q.qclass != C_CH) {
        if (st)
            stats_rcode(st, RC_REFUSED);
        return header_only(out, cap, &q, RC_REFUSED);
    }

    struct resp r; /* field by field: the compression table need not be cleared */
    r.db = db;
    r.q = &q;
    r.zone = -1;
    r.qend = 0;
    r.qcomp = 0;
    memset(r.count, 0, sizeof(r.count));
    r.aa = r.tc = false;
    r.rcode = RC_NOERROR;
    r.nadded = 0;
    size_t limit = size_limit(&q, tcp), reserve = q.edns ? OPT_LEN + EDE_LEN : 0;
    if (limit > cap)
        limit = cap;
    if (limit < DNS_HEADER + q.qname.len + 4 + reserve)
        return 0;
    /* The question always fits: it came in a message no larger. */
    wbuf_init(&r.w, out, limit - (q.edns ? OPT_LEN : 0));
    r.w.len = DNS_HEADER;
    uint8_t qtc[4];
    put16(qtc, q.qtype);
    put16(qtc + 2, q.qclass);
    wire_put_name(&r.w, q.qname.wire, true);
    wire_put_bytes(&r.w, qtc, 4);
    r.qend = r.w.len;
    r.qcomp = r.w.ncomp;

    int ede = -1;
    if (q.edns && q.edns_version > 0) {
        r.rcode = RC_BADVERS; /* RFC 6891 section 6.1.3 */
    } else if (q.qclass == C_CH) {
        chaos(&r, st);
    } else if (q.qtype == T_AXFR || q.qtype == T_IXFR) {
        /* No zone transfers: refused, and AXFR over UDP is not even defined
         * (RFC 5936 section 4.2). */
        r.rcode = q.qtype == T_AXFR && !tcp ? RC_NOTIMP : RC_REFUSED;
    } else if ((r.zone = question_zone(&r)) < 0) {
        r.rcode = RC_REFUSED;
        ede = EDE_NOT_AUTHORITATIVE;
    } else {
        answer_authoritative(&r);
        if (q.qclass == C_ANY)
            r.aa = false; /* RFC 1035 section 6.2: QCLASS=* answers are never authoritative */
    }
    if (q.edns)
        put_opt(&r, ede);
    uint16_t flags = (uint16_t)(F_QR | (q.flags & (F_RD | F_CD)) | (r.aa ? F_AA : 0) |
                                (r.tc ? F_TC : 0) | (r.rcode & 15));
    put16(out, q.id);
    put16(out + 2, flags);
    put16(out + 4, 1);
    put16(out + 6, r.count[SEC_AN]);
    put16(out + 8, r.count[SEC_NS]);
    put16(out + 10, r.count[SEC_AR]);
    if (st) {
        stats_rcode(st, r.rcode);
        st->c[S_TRUNCATED] += r.tc;
    }
    return r.w.len;
}
