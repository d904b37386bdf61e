/* Unit tests for apps/dns/wire.c and name.c: query parsing with its bounds,
 * decompression and its loop protection, name compression when writing,
 * and canonical name order. */
#include <string.h>

#include "suites.h"

static uint8_t buf[4096];

static struct dname name(const char *text)
{
    struct dname d;
    const char *why;
    ck_assert_msg(name_from_text(text, strlen(text), NULL, &d, &why) == 0, "%s", why);
    return d;
}

static const char *text_of(const uint8_t *wire)
{
    static char out[300];
    name_to_text(wire, out, sizeof(out));
    return out;
}

START_TEST(parses_plain_query)
{
    struct query q;
    size_t n = mkquery(buf, "WwW.Example.test.", T_AAAA, C_IN, -1, 0, F_RD);
    ck_assert_int_eq(wire_parse_query(buf, n, &q), P_OK);
    ck_assert_uint_eq(q.id, 0xbeef);
    ck_assert_uint_eq(q.qtype, T_AAAA);
    ck_assert_uint_eq(q.qclass, C_IN);
    ck_assert(!q.edns);
    ck_assert_str_eq(text_of(q.qname.wire), "WwW.Example.test."); /* case kept */
    ck_assert_uint_eq(q.qname.labels, 4);
    ck_assert_uint_eq(q.qend, n);
}
END_TEST

START_TEST(parses_edns)
{
    struct query q;
    size_t n = mkquery(buf, "example.test.", T_A, C_IN, 4096, 0, 0);
    put32(buf + n - 6, 0x00008000); /* DO bit (RFC 3225) */
    ck_assert_int_eq(wire_parse_query(buf, n, &q), P_OK);
    ck_assert(q.edns);
    ck_assert_uint_eq(q.udp_size, 4096);
    ck_assert_uint_eq(q.edns_version, 0);
    ck_assert(q.edns_do);
    n = mkquery(buf, "example.test.", T_A, C_IN, 1232, 3, 0);
    ck_assert_int_eq(wire_parse_query(buf, n, &q), P_OK);
    ck_assert_uint_eq(q.edns_version, 3);
}
END_TEST

START_TEST(drops_short_and_responses)
{
    struct query q;
    size_t n = mkquery(buf, "example.test.", T_A, C_IN, -1, 0, 0);
    for (size_t len = 0; len < DNS_HEADER; len++)
        ck_assert_int_eq(wire_parse_query(buf, len, &q), P_DROP);
    put16(buf + 2, F_QR);
    ck_assert_int_eq(wire_parse_query(buf, n, &q), P_DROP);
}
END_TEST

START_TEST(opcodes_other_than_query_are_notimp)
{
    struct query q;
    for (int op = 1; op < 16; op++) {
        size_t n = mkquery(buf, "example.test.", T_A, C_IN, -1, 0, (uint16_t)(op << 11));
        ck_assert_int_eq(wire_parse_query(buf, n, &q), P_NOTIMP);
        ck_assert_uint_eq(q.opcode, op);
    }
}
END_TEST

START_TEST(counts_that_lie_are_formerr)
{
    struct query q;
    size_t n = mkquery(buf, "example.test.", T_A, C_IN, -1, 0, 0);
    uint8_t m[512];
    static const struct {
        int at;
        uint16_t v;
    } lies[] = {{4, 0}, {4, 2}, {6, 1}, {8, 1}, {10, 1}, {10, 65535}};
    for (size_t i = 0; i < sizeof(lies) / sizeof(lies[0]); i++) {
        memcpy(m, buf, n);
        put16(m + lies[i].at, lies[i].v);
        ck_assert_int_eq(wire_parse_query(m, n, &q), P_FORMERR);
    }
    for (size_t len = DNS_HEADER; len < n; len++) /* every truncated question */
        ck_assert_int_eq(wire_parse_query(buf, len, &q), P_FORMERR);
}
END_TEST

START_TEST(trailing_bytes_are_ignored)
{
    struct query q;
    size_t n = mkquery(buf, "example.test.", T_A, C_IN, -1, 0, 0);
    memcpy(buf + n, "junk", 4);
    ck_assert_int_eq(wire_parse_query(buf, n + 4, &q), P_OK);
}
END_TEST

START_TEST(compression_pointer_loops_are_refused)
{
    struct query q;
    size_t n = mkquery(buf, "a.", T_A, C_IN, -1, 0, 0);
    (void)n;
    /* A pointer to itself, to the header, forwards, and a two-step loop. */
    static const uint8_t names[][6] = {
        {0xC0, 12},
        {0xC0, 2},
        {0xC0, 14, 0, 0},
        {1, 'a', 0xC0, 12},
    };
    static const size_t lens[] = {2, 2, 4, 4};
    for (int i = 0; i < 4; i++) {
        memcpy(buf + DNS_HEADER, names[i], lens[i]);
        memset(buf + DNS_HEADER + lens[i], 0, 4);
        ck_assert_int_eq(wire_parse_query(buf, DNS_HEADER + lens[i] + 4, &q), P_FORMERR);
    }
}
END_TEST

START_TEST(backward_pointers_decompress)
{
    /* "www.example.test" at 12, then "mail" + pointer to "example.test". */
    size_t n = mkquery(buf, "www.example.test.", T_A, C_IN, -1, 0, 0);
    size_t at = n;
    memcpy(buf + at, "\4mail\xC0\x10", 7);
    size_t off = at;
    struct dname d;
    ck_assert_int_eq(wire_read_name(buf, at + 7, &off, &d), 0);
    ck_assert_uint_eq(off, at + 7);
    ck_assert_str_eq(text_of(d.wire), "mail.example.test.");
    ck_assert_uint_eq(d.labels, 4);
}
END_TEST

START_TEST(oversized_labels_and_names_are_refused)
{
    struct query q;
    uint8_t m[600];
    mkquery(m, "a.", T_A, C_IN, -1, 0, 0);
    m[DNS_HEADER] = 64; /* 0x40: an extended label type, not a length */
    memset(m + DNS_HEADER + 1, 'x', 64);
    memset(m + DNS_HEADER + 65, 0, 5);
    ck_assert_int_eq(wire_parse_query(m, DNS_HEADER + 70, &q), P_FORMERR);
    /* Five 63-octet labels: 320 octets, above the 255 limit. */
    size_t off = DNS_HEADER;
    for (int i = 0; i < 5; i++) {
        m[off] = 63;
        memset(m + off + 1, 'y', 63);
        off += 64;
    }
    memset(m + off, 0, 5);
    ck_assert_int_eq(wire_parse_query(m, off + 5, &q), P_FORMERR);
}
END_TEST

START_TEST(opt_rules)
{
    struct query q;
    size_t n = mkquery(buf, "example.test.", T_A, C_IN, 1232, 0, 0);
    uint8_t m[512];
    memcpy(m, buf, n); /* a second OPT */
    memcpy(m + n, buf + n - 11, 11);
    put16(m + 10, 2);
    ck_assert_int_eq(wire_parse_query(m, n + 11, &q), P_FORMERR);
    memcpy(m, buf, n); /* an option running past the RDATA */
    put16(m + n - 2, 4);
    memcpy(m + n, "\0\12\0\10", 4);
    ck_assert_int_eq(wire_parse_query(m, n + 4, &q), P_FORMERR);
    memcpy(m + n, "\0\12\0\0", 4); /* an empty option fits exactly */
    ck_assert_int_eq(wire_parse_query(m, n + 4, &q), P_OK);
    memcpy(m, buf, n - 11); /* OPT with a non-root owner */
    memcpy(m + n - 11, "\1a\0", 3);
    memcpy(m + n - 8, buf + n - 10, 10);
    ck_assert_int_eq(wire_parse_query(m, n + 2, &q), P_FORMERR);
    memcpy(m, buf, n); /* an A record in the additional section */
    put16(m + n - 10, T_A);
    ck_assert_int_eq(wire_parse_query(m, n, &q), P_FORMERR);
}
END_TEST

START_TEST(compression_when_writing)
{
    uint8_t out[512];
    struct wbuf w;
    wbuf_init(&w, out, sizeof(out));
    w.len = DNS_HEADER;
    struct dname a = name("WWW.Example.TEST."), b = name("ns.example.test."),
                 c = name("www.example.test.");
    ck_assert_int_eq(wire_put_name(&w, a.wire, true), 0);
    size_t at_b = w.len;
    ck_assert_int_eq(wire_put_name(&w, b.wire, true), 0);
    ck_assert_uint_eq(w.len - at_b, 3 + 2); /* "ns" then a pointer */
    size_t at_c = w.len;
    ck_assert_int_eq(wire_put_name(&w, c.wire, true), 0);
    ck_assert_uint_eq(w.len - at_c, 2); /* only a pointer */
    struct dname d;
    size_t off = at_b;
    ck_assert_int_eq(wire_read_name(out, w.len, &off, &d), 0);
    ck_assert_str_eq(text_of(d.wire), "ns.Example.TEST."); /* the first spelling wins */
    off = at_c;
    ck_assert_int_eq(wire_read_name(out, w.len, &off, &d), 0);
    ck_assert_str_eq(text_of(d.wire), "WWW.Example.TEST.");
}
END_TEST

START_TEST(rr_rollback_and_rdata_rules)
{
    uint8_t out[128];
    struct wbuf w;
    wbuf_init(&w, out, sizeof(out));
    w.len = DNS_HEADER;
    struct dname owner = name("example.test."), target = name("sip.example.test.");
    uint8_t srv[6 + DNS_NAME_MAX] = {0, 10, 0, 60, 0x13, 0xc4};
    memcpy(srv + 6, target.wire, target.len);
    uint16_t srvlen = (uint16_t)(6 + target.len);
    /* SRV targets are never compressed (RFC 2782). */
    ck_assert_int_eq(wire_put_rr(&w, owner.wire, T_SRV, C_IN, 60, srv, srvlen), 0);
    ck_assert_uint_eq(get16(out + w.len - srvlen - 2), srvlen);
    ck_assert_mem_eq(out + w.len - srvlen, srv, srvlen);
    /* MX exchanges are compressed, and RDLENGTH counts the compressed
     * form; the SRV target was not offered as a target, so only
     * "example.test" is found: "sip" plus a pointer. */
    uint8_t mx[2 + DNS_NAME_MAX] = {0, 10};
    memcpy(mx + 2, target.wire, target.len);
    size_t before = w.len;
    ck_assert_int_eq(wire_put_rr(&w, owner.wire, T_MX, C_IN, 60, mx, (uint16_t)(2 + target.len)),
                     0);
    ck_assert_uint_eq(w.len - before, 2 + 10 + 2 + 4 + 2);
    ck_assert_uint_eq(get16(out + before + 10), 8);
    /* A record that does not fit leaves nothing behind. */
    before = w.len;
    int ncomp = w.ncomp;
    uint8_t big[100] = {0};
    ck_assert_int_eq(wire_put_rr(&w, target.wire, T_TXT, C_IN, 60, big, sizeof(big)), -1);
    ck_assert_uint_eq(w.len, before);
    ck_assert_int_eq(w.ncomp, ncomp);
}
END_TEST

START_TEST(canonical_order)
{
    /* RFC 4034 section 6.1's example, in order. */
    static const char *names[] = {
        "example.",         "a.example.",      "yljkjljk.a.example.",
        "Z.a.example.",     "zABC.a.EXAMPLE.", "z.example.",
        "\\001.z.example.", "*.z.example.",    "\\200.z.example.",
    };
    int n = sizeof(names) / sizeof(names[0]);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            struct dname a = name(names[i]), b = name(names[j]);
            int c = name_canonical_cmp(a.wire, b.wire);
            ck_assert_msg(i < j   ? c < 0
                          : i > j ? c > 0
                                  : c == 0,
                          "%s vs %s: %d", names[i], names[j], c);
        }
}
END_TEST

START_TEST(name_text_round_trip)
{
    struct dname origin = name("example.test."), d;
    const char *why;
    ck_assert_int_eq(name_from_text("esc\\.dot", 8, &origin, &d, &why), 0);
    ck_assert_uint_eq(d.wire[0], 7); /* one label "esc.dot" */
    ck_assert_str_eq(text_of(d.wire), "esc\\.dot.example.test.");
    ck_assert_int_eq(name_from_text("\\065b\\099", 9, &origin, &d, &why), 0);
    ck_assert_str_eq(text_of(d.wire), "Abc.example.test.");
    ck_assert_int_eq(name_from_text("@", 1, &origin, &d, &why), 0);
    ck_assert(name_equal(d.wire, origin.wire));
    ck_assert_int_eq(name_from_text("a..b", 4, &origin, &d, &why), -1);
    ck_assert_int_eq(name_from_text("\\256", 4, &origin, &d, &why), -1);
    ck_assert_int_eq(name_from_text("\\12", 3, &origin, &d, &why), -1);
    ck_assert_int_eq(name_from_text("rel", 3, NULL, &d, &why), -1);
    ck_assert(name_is_below(name("A.B.Example.TEST.").wire, origin.wire));
    ck_assert(!name_is_below(name("badexample.test.").wire, origin.wire));
    ck_assert_uint_eq(name_hash(name("WWW.EXAMPLE.TEST.").wire),
                      name_hash(name("www.example.test.").wire));
}
END_TEST

Suite *wire_suite(void)
{
    Suite *s = suite_create("dns-wire");
    TCase *tc = tcase_create("wire");
    tcase_add_test(tc, parses_plain_query);
    tcase_add_test(tc, parses_edns);
    tcase_add_test(tc, drops_short_and_responses);
    tcase_add_test(tc, opcodes_other_than_query_are_notimp);
    tcase_add_test(tc, counts_that_lie_are_formerr);
    tcase_add_test(tc, trailing_bytes_are_ignored);
    tcase_add_test(tc, compression_pointer_loops_are_refused);
    tcase_add_test(tc, backward_pointers_decompress);
    tcase_add_test(tc, oversized_labels_and_names_are_refused);
    tcase_add_test(tc, opt_rules);
    tcase_add_test(tc, compression_when_writing);
    tcase_add_test(tc, rr_rollback_and_rdata_rules);
    tcase_add_test(tc, canonical_order);
    tcase_add_test(tc, name_text_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
