/* The DNS message codec (RFC 1035 section 4): queries parsed with strict
 * bounds, names decompressed with loop protection, responses written with
 * name compression (RFC 1035 section 4.1.4). */
#include <string.h>

#include "dns.h"

/* Reads the name at *off (following compression pointers) into out and
 * moves *off past it. Every pointer must point strictly before the
 * previous jump target (or the name's start), so a chain of pointers always
 * moves backwards and cannot loop; pointers into the header are refused.
 * Returns 0, or -1 for a malformed name. */
int wire_read_name(const uint8_t *msg, size_t len, size_t *off, struct dname *out)
{
    size_t pos = *off, limit = *off, end = 0;
    out->len = 0;
    out->labels = 0;
    for (;;) {
        if (pos >= len)
            return -1;
        uint8_t c = msg[pos];
        if ((c & 0xC0) == 0xC0) {
            if (pos + 1 >= len)
                return -1;
            size_t ptr = (size_t)(c & 0x3F) << 8 | msg[pos + 1];
            if (end == 0)
                end = pos + 2;
            if (ptr >= limit || ptr < DNS_HEADER)
                return -1;
            limit = pos = ptr;
            continue;
        }
        if (c & 0xC0) /* 0x40 and 0x80: no such label types (RFC 6891 section 5) */
            return -1;
        if (out->len + 1 + c > DNS_NAME_MAX || pos + 1 + c > len)
            return -1;
        memcpy(out->wire + out->len, msg + pos, 1 + (size_t)c);
        out->len = (uint8_t)(out->len + 1 + c);
        out->labels++;
        pos += 1 + (size_t)c;
        if (c == 0)
            break;
    }
    *off = end ? end : pos;
    return 0;
}

/* The OPT pseudo-record (RFC 6891 section 6.1.2): root owner, at most one,
 * options that exactly fill its RDATA. */
static int read_opt(struct query *q, const struct dname *owner, const uint8_t *rr,
                    const uint8_t *rdata, uint16_t rdlen)
{
    if (q->edns || owner->len != 1)
        return -1;
    q->edns = true;
    q->udp_size = get16(rr + 2);
    uint32_t ttl = get32(rr + 4);
    q->edns_version = (uint8_t)(ttl >> 16);
    q->edns_do = (ttl & 0x8000) != 0;
    for (size_t p = 0; p < rdlen;) {
        if (p + 4 > rdlen || p + 4 + get16(rdata + p + 2) > rdlen)
            return -1;
        p += 4 + (size_t)get16(rdata + p + 2);
    }
    return 0;
}

/* A query: a header, exactly one question, no answer or authority
 * records, and in the additional section only an OPT record (we verify no
 * signatures, so TSIG is malformed here too). Bytes after the last record
 * are ignored. P_DROP for what cannot be answered at all: shorter than a
 * header, or a response (QR set), which must never be answered lest two
 * servers answer each other forever. */
enum parse_result wire_parse_query(const uint8_t *msg, size_t len, struct query *q)
{
    /* Every field but the name's octets, which wire_read_name writes
     * (clearing all 255 of them costs more than parsing a query). */
    q->id = q->flags = q->opcode = q->qtype = q->qclass = q->udp_size = 0;
    q->qname.len = q->qname.labels = q->qname.wire[0] = 0;
    q->qend = 0;
    q->edns = q->edns_do = false;
    q->edns_version = 0;
    if (len < DNS_HEADER)
        return P_DROP;
    q->id = get16(msg);
    q->flags = get16(msg + 2);
    q->opcode = (q->flags >> 11) & 15;
    if (q->flags & F_QR)
        return P_DROP;
    if (q->opcode != 0)
        return P_NOTIMP;
    if (get16(msg + 4) != 1 || get16(msg + 6) != 0 || get16(msg + 8) != 0)
        return P_FORMERR;
    size_t off = DNS_HEADER;
    if (wire_read_name(msg, len, &off, &q->qname) < 0 || off + 4 > len)
        return P_FORMERR;
    q->qtype = get16(msg + off);
    q->qclass = get16(msg + off + 2);
    off += 4;
    q->qend = off;
    for (unsigned i = get16(msg + 10); i > 0; i--) {
        struct dname owner;
        if (wire_read_name(msg, len, &off, &owner) < 0 || off + 10 > len)
            return P_FORMERR;
        const uint8_t *rr = msg + off;
        uint16_t rdlen = get16(rr + 8);
        if (off + 10 + rdlen > len)
            return P_FORMERR;
        if (get16(rr) != T_OPT || read_opt(q, &owner, rr, rr + 10, rdlen) < 0)
            return P_FORMERR;
        off += 10 + (size_t)rdlen;
    }
    return P_OK;
}

void wbuf_init(struct wbuf *w, uint8_t *buf, size_t cap)
{
    w->p = buf;
    w->len = 0;
    w->cap = cap;
    w->ncomp = 0;
}

int wire_put_bytes(struct wbuf *w, const void *data, size_t n)
{
    if (w->len + n > w->cap)
        return -1;
    memcpy(w->p + w->len, data, n);
    w->len += n;
    return 0;
}

/* Does the name written at off (our own output, so well formed) equal the
 * uncompressed name s, ignoring case? */
static bool written_equal(const uint8_t *buf, size_t off, const uint8_t *s)
{
    for (;;) {
        uint8_t c = buf[off];
        if ((c & 0xC0) == 0xC0) {
            off = (size_t)(c & 0x3F) << 8 | buf[off + 1];
            continue;
        }
        if (c != *s)
            return false;
        if (c == 0)
            return true;
        for (int i = 1; i <= c; i++)
            if (buf[off + i] != s[i] && dns_lower(buf[off + i]) != dns_lower(s[i]))
                return false;
        off += 1 + (size_t)c;
        s += 1 + c;
    }
}

/* Writes name, replacing its longest suffix already in the message with a
 * pointer when compress is set. Matching ignores case, so a suffix takes
 * the spelling it first had, usually the question's: answers echo the
 * question's case as RFC 4343 section 4.1 intends. Names written without
 * compression (SRV targets, RFC 2782) are not offered as targets either. */
int wire_put_name(struct wbuf *w, const uint8_t *name, bool compress)
{
    uint8_t offs[DNS_LABELS_MAX];
    int n = name_labels(name, offs);
    size_t len = (size_t)offs[n - 1] + 1; /* the root label is the last octet */
    int match = -1, at = n - 1;
    for (int i = 0; compress && i < n - 1 && match < 0; i++)
        for (int k = 0; k < w->ncomp; k++)
            if (w->comp_len[k] == len - offs[i] &&
                written_equal(w->p, w->comp[k], name + offs[i])) {
                match = w->comp[k];
                at = i;
                break;
            }
    size_t prefix = offs[at]; /* octets written as labels */
    size_t need = prefix + (match >= 0 ? 2 : 1);
    if (w->len + need > w->cap)
        return -1;
    size_t start = w->len;
    memcpy(w->p + w->len, name, prefix);
    w->len += prefix;
    if (match >= 0) {
        put16(w->p + w->len, (uint16_t)(0xC000 | match));
        w->len += 2;
    } else {
        w->p[w->len++] = 0;
    }
    for (int i = 0; compress && i < at && w->ncomp < DNS_COMPRESS_MAX; i++)
        if (start + offs[i] < 0x4000) {
            w->comp_len[w->ncomp] = (uint8_t)(len - offs[i]);
            w->comp[w->ncomp++] = (uint16_t)(start + offs[i]);
        }
    return 0;
}

/* One resource record. Names inside RDATA are compressed only for the
 * RFC 1035 types (RFC 3597 section 4); on failure nothing is left written. */
int wire_put_rr(struct wbuf *w, const uint8_t *owner, uint16_t type, uint16_t class, uint32_t ttl,
                const uint8_t *rdata, uint16_t rdlen)
{
    size_t len0 = w->len;
    int comp0 = w->ncomp;
    uint8_t fixed[10];
    put16(fixed, type);
    put16(fixed + 2, class);
    put32(fixed + 4, ttl);
    put16(fixed + 8, 0);
    if (wire_put_name(w, owner, true) < 0 || wire_put_bytes(w, fixed, 10) < 0)
        goto full;
    size_t rdstart = w->len;
    int rc = 0;
    switch (type) {
    case T_NS:
    case T_CNAME:
    case T_PTR:
        rc = wire_put_name(w, rdata, true);
        break;
    case T_MX:
        rc = wire_put_bytes(w, rdata, 2) < 0 ? -1 : wire_put_name(w, rdata + 2, true);
        break;
    case T_SOA: {
        size_t m = name_len(rdata), r = name_len(rdata + m);
        rc = wire_put_name(w, rdata, true) < 0 || wire_put_name(w, rdata + m, true) < 0 ||
                     wire_put_bytes(w, rdata + m + r, 20) < 0
                 ? -1
                 : 0;
        break;
    }
    default:
        rc = wire_put_bytes(w, rdata, rdlen);
    }
    if (rc < 0)
        goto full;
    put16(w->p + rdstart - 2, (uint16_t)(w->len - rdstart));
    return 0;
full:
    w->len = len0;
    w->ncomp = comp0;
    return -1;
}
