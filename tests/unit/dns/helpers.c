/* Helpers for the DNS unit tests: queries built label by label, responses
 * decoded into text, zones loaded from strings or from the example file. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"

/* An uncompressed query; edns_size < 0 means no OPT record. */
size_t mkquery(uint8_t *buf, const char *name, uint16_t type, uint16_t qclass, int edns_size,
               uint8_t edns_version, uint16_t flags)
{
    struct dname d;
    const char *why;
    memset(buf, 0, DNS_HEADER);
    put16(buf, 0xbeef);
    put16(buf + 2, flags);
    put16(buf + 4, 1);
    put16(buf + 10, edns_size >= 0);
    ck_assert_msg(name_from_text(name, strlen(name), NULL, &d, &why) == 0, "%s: %s", name, why);
    size_t n = DNS_HEADER;
    memcpy(buf + n, d.wire, d.len);
    n += d.len;
    put16(buf + n, type);
    put16(buf + n + 2, qclass);
    n += 4;
    if (edns_size >= 0) {
        buf[n] = 0;
        put16(buf + n + 1, T_OPT);
        put16(buf + n + 3, (uint16_t)edns_size);
        put32(buf + n + 5, (uint32_t)edns_version << 16);
        put16(buf + n + 9, 0);
        n += 11;
    }
    return n;
}

static void rdata_text(const uint8_t *msg, size_t len, size_t off, const struct rr_view *rr,
                       char *out, size_t cap)
{
    struct dname d;
    size_t p = off;
    switch (rr->type) {
    case T_A:
        snprintf(out, cap, "%u.%u.%u.%u", msg[off], msg[off + 1], msg[off + 2], msg[off + 3]);
        return;
    case T_AAAA:
        inet_ntop(AF_INET6, msg + off, out, (socklen_t)cap);
        return;
    case T_NS:
    case T_CNAME:
    case T_PTR:
        ck_assert_int_eq(wire_read_name(msg, len, &p, &d), 0);
        name_to_text(d.wire, out, cap);
        return;
    case T_MX:
        p += 2;
        ck_assert_int_eq(wire_read_name(msg, len, &p, &d), 0);
        {
            char n[300];
            name_to_text(d.wire, n, sizeof(n));
            snprintf(out, cap, "%u %s", get16(msg + off), n);
        }
        return;
    case T_SOA: {
        char m[300], r[300];
        ck_assert_int_eq(wire_read_name(msg, len, &p, &d), 0);
        name_to_text(d.wire, m, sizeof(m));
        ck_assert_int_eq(wire_read_name(msg, len, &p, &d), 0);
        name_to_text(d.wire, r, sizeof(r));
        snprintf(out, cap, "%s %s %u %u %u %u %u", m, r, get32(msg + p), get32(msg + p + 4),
                 get32(msg + p + 8), get32(msg + p + 12), get32(msg + p + 16));
        return;
    }
    default:
        out[0] = '\0';
        return;
    }
}

/* Decodes a whole response; returns 0, or -1 if it is malformed. */
int parse_msg(const uint8_t *msg, size_t len, struct msg_view *m)
{
    memset(m, 0, sizeof(*m));
    if (len < DNS_HEADER)
        return -1;
    m->id = get16(msg);
    m->flags = get16(msg + 2);
    for (int i = 0; i < 4; i++)
        m->count[i] = get16(msg + 4 + 2 * i);
    m->rcode = m->flags & 15;
    size_t off = DNS_HEADER;
    struct dname d;
    for (int i = 0; i < m->count[0]; i++) {
        if (wire_read_name(msg, len, &off, &d) < 0 || off + 4 > len)
            return -1;
        name_to_text(d.wire, m->qname, sizeof(m->qname));
        off += 4;
    }
    int n = 0;
    for (int s = 0; s < 3; s++) {
        for (int i = 0; i < m->count[1 + s]; i++) {
            if (wire_read_name(msg, len, &off, &d) < 0 || off + 10 > len)
                return -1;
            uint16_t type = get16(msg + off), rdlen = get16(msg + off + 8);
            if (off + 10 + rdlen > len)
                return -1;
            if (type == T_OPT) {
                m->opt = true;
                m->opt_size = get16(msg + off + 2);
                m->rcode |= msg[off + 4] << 4;
            } else if (n < 64) {
                struct rr_view *rr = &m->rr[n++];
                name_to_text(d.wire, rr->owner, sizeof(rr->owner));
                rr->type = type;
                rr->qclass = get16(msg + off + 2);
                rr->ttl = get32(msg + off + 4);
                rdata_text(msg, len, off + 10, rr, rr->rdata, sizeof(rr->rdata));
                m->nrr[s]++;
            }
            off += 10 + rdlen;
        }
    }
    return off == len ? 0 : -1;
}

const struct rr_view *section_rr(const struct msg_view *m, int section, int i)
{
    int base = 0;
    for (int s = 0; s < section; s++)
        base += m->nrr[s];
    return i < m->nrr[section] ? &m->rr[base + i] : NULL;
}

int zone_from_text(struct zone *z, const char *text, const char *file, char *err, size_t errlen)
{
    return zone_parse(z, text, strlen(text), file, err, errlen);
}

int db_from_texts(struct db *db, const char *const *texts, const char *const *files, int n)
{
    struct zone zones[8];
    char err[600];
    ck_assert_int_le(n, 8);
    for (int i = 0; i < n; i++)
        ck_assert_msg(zone_from_text(&zones[i], texts[i], files[i], err, sizeof(err)) == 0, "%s",
                      err);
    int rc = db_build(db, zones, n, err, sizeof(err));
    for (int i = 0; i < n; i++)
        zone_free(&zones[i]);
    return rc;
}

/* The zone compiled into the server by default; tests run from the
 * repository root (tests/unit/run.sh). */
int db_from_example(struct db *db)
{
    static char text[1 << 16];
    FILE *f = fopen("apps/dns/zones/example.test.zone", "rb");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = '\0';
    const char *texts[] = {text};
    const char *files[] = {"example.test.zone"};
    return db_from_texts(db, texts, files, 1);
}
