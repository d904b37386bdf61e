/* Unit tests for apps/dns/zone.c, zonelex.c, rdata.c and zonecheck.c: the
 * master-file syntax of RFC 1035 section 5, the RDATA of every supported
 * type, and "file:line: reason" for each way a zone can be wrong. */
#include <stdio.h>
#include <string.h>

#include "suites.h"

static struct zone z;
static char err[600];

#define HEAD "$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n"

static void teardown(void)
{
    zone_free(&z);
}

static int parse(const char *text)
{
    err[0] = '\0';
    return zone_from_text(&z, text, "t.test.zone", err, sizeof(err));
}

/* The i-th record (in canonical order) of the given type and owner. */
static const struct zrr *find(const char *owner, uint16_t type, int i)
{
    struct dname d;
    const char *why;
    ck_assert(name_from_text(owner, strlen(owner), NULL, &d, &why) == 0);
    for (size_t k = 0; k < z.nrr; k++)
        if (z.rr[k].type == type && name_equal(zone_name(&z, z.rr[k].owner), d.wire) && i-- == 0)
            return &z.rr[k];
    ck_abort_msg("no %s record %d at %s", type_name(type), i, owner);
    return NULL;
}

static void expect_error(const char *text, const char *want)
{
    ck_assert_msg(parse(text) == -1, "accepted: %s", text);
    ck_assert_msg(strstr(err, want) != NULL, "error '%s' lacks '%s'", err, want);
    ck_assert_ptr_null(z.rr); /* nothing half-loaded */
    ck_assert_uint_eq(z.nrr, 0);
}

START_TEST(example_zone_loads)
{
    struct db db;
    ck_assert_int_eq(db_from_example(&db), 0);
    ck_assert_uint_eq(db.nzones, 1);
    char apex[300];
    name_to_text(db_name(&db, db.zone[0].apex), apex, sizeof(apex));
    ck_assert_str_eq(apex, "example.test.");
    ck_assert_uint_ge(db.records, 80);
    db_free(&db);
}
END_TEST

START_TEST(origin_relative_absolute_and_at)
{
    ck_assert_int_eq(parse(HEAD "a A 192.0.2.1\n"
                                "b.t.test. A 192.0.2.2\n"
                                "$ORIGIN sub.t.test.\n"
                                "c A 192.0.2.3\n"
                                "@ A 192.0.2.4\n"
                                "$ORIGIN deeper\n" /* relative to the current origin */
                                "d A 192.0.2.5\n"),
                     0);
    find("a.t.test.", T_A, 0);
    find("b.t.test.", T_A, 0);
    find("c.sub.t.test.", T_A, 0);
    find("sub.t.test.", T_A, 0);
    find("d.deeper.sub.t.test.", T_A, 0);
    ck_assert_uint_eq(z.nrr, 7);
}
END_TEST

START_TEST(blank_owner_repeats_previous)
{
    ck_assert_int_eq(parse(HEAD "www A 192.0.2.1\n"
                                "    AAAA ::1\n"
                                "\tTXT \"x\"\n"),
                     0);
    find("www.t.test.", T_AAAA, 0);
    find("www.t.test.", T_TXT, 0);
}
END_TEST

START_TEST(parentheses_and_comments)
{
    ck_assert_int_eq(parse("$TTL 1h ; default\n"
                           "@ IN SOA ns.t.test. hostmaster ( ; comment ( inside\n"
                           "   2024 ; serial\n"
                           "   2h 30m\n"
                           "   2w\n"
                           "   300 ) ; end\n"
                           "  NS ns\n"),
                     0);
    const struct zrr *soa = find("t.test.", T_SOA, 0);
    const uint8_t *rd = z.arena + soa->rdata;
    size_t m = name_len(rd), r = name_len(rd + m);
    ck_assert_uint_eq(get32(rd + m + r), 2024);
    ck_assert_uint_eq(get32(rd + m + r + 4), 7200);
    ck_assert_uint_eq(get32(rd + m + r + 8), 1800);
    ck_assert_uint_eq(get32(rd + m + r + 12), 1209600);
    ck_assert_uint_eq(get32(rd + m + r + 16), 300);
    ck_assert_uint_eq(soa->ttl, 3600);
}
END_TEST

START_TEST(ttls_and_classes)
{
    ck_assert_int_eq(parse("@ 1h30m IN SOA ns hm 1 2 3 4 5\n" /* no $TTL yet */
                           "  IN NS ns\n"                     /* the last TTL given */
                           "a IN 1w A 192.0.2.1\n"            /* class before TTL */
                           "$TTL 42\n"
                           "b A 192.0.2.2\n"
                           "c 0 A 192.0.2.3\n"),
                     0);
    ck_assert_uint_eq(find("t.test.", T_SOA, 0)->ttl, 5400);
    ck_assert_uint_eq(find("t.test.", T_NS, 0)->ttl, 5400);
    ck_assert_uint_eq(find("a.t.test.", T_A, 0)->ttl, 604800);
    ck_assert_uint_eq(find("b.t.test.", T_A, 0)->ttl, 42);
    ck_assert_uint_eq(find("c.t.test.", T_A, 0)->ttl, 0);
}
END_TEST

START_TEST(soa_minimum_when_no_ttl_at_all)
{
    ck_assert_int_eq(parse("@ SOA ns hm 1 2 3 4 77\n@ NS ns\n"), 0);
    ck_assert_uint_eq(find("t.test.", T_NS, 0)->ttl, 77);
}
END_TEST

START_TEST(txt_strings_and_escapes)
{
    ck_assert_int_eq(parse(HEAD
                           "t TXT \"a \\\"q\\\" b\" plain \"semi;colon\" \"\\065\\066C\" \"\"\n"
                           "e\\.dot TXT x\n"),
                     0);
    const struct zrr *t = find("t.t.test.", T_TXT, 0);
    static const uint8_t want[] = "\x07"
                                  "a \"q\" b"
                                  "\x05plain"
                                  "\x0asemi;colon"
                                  "\x03"
                                  "ABC"
                                  "\x00";
    ck_assert_uint_eq(t->rdlen, sizeof(want) - 1);
    ck_assert_mem_eq(z.arena + t->rdata, want, sizeof(want) - 1);
    find("e\\.dot.t.test.", T_TXT, 0);
}
END_TEST

START_TEST(every_type)
{
    ck_assert_int_eq(parse(HEAD "a A 192.0.2.1\n"
                                "a AAAA 2001:db8::1\n"
                                "b AAAA ::ffff:192.0.2.1\n"
                                "c AAAA 1:2:3:4:5:6:7:8\n"
                                "d AAAA ::\n"
                                "m MX 10 mail.example.net.\n"
                                "s SRV 1 2 5060 sip\n"
                                "p PTR a\n"
                                "cn CNAME a\n"
                                "ca CAA 128 issue \"ca.example.net; policy=ev\"\n"
                                "ca CAA 0 iodef mailto:x@t.test\n"),
                     0);
    static const uint8_t v6[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1};
    ck_assert_mem_eq(z.arena + find("b.t.test.", T_AAAA, 0)->rdata, v6, 16);
    static const uint8_t v6c[] = {0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8};
    ck_assert_mem_eq(z.arena + find("c.t.test.", T_AAAA, 0)->rdata, v6c, 16);
    const struct zrr *srv = find("s.t.test.", T_SRV, 0);
    ck_assert_uint_eq(get16(z.arena + srv->rdata + 4), 5060);
    const struct zrr *caa = find("ca.t.test.", T_CAA, 1);
    ck_assert_uint_eq(z.arena[caa->rdata], 128);
    ck_assert_uint_eq(z.arena[caa->rdata + 1], 5);
    ck_assert_mem_eq(z.arena + caa->rdata + 2, "issueca.example.net; policy=ev", 30);
}
END_TEST

START_TEST(duplicates_dropped_ttls_unified)
{
    ck_assert_int_eq(parse(HEAD "a 100 A 192.0.2.1\n"
                                "a 50 A 192.0.2.2\n"
                                "a 100 A 192.0.2.1\n"),
                     0);
    ck_assert_uint_eq(z.nrr, 4);
    /* RFC 2181 section 5.2: the RRset takes its lowest TTL. */
    ck_assert_uint_eq(find("a.t.test.", T_A, 0)->ttl, 50);
    ck_assert_uint_eq(find("a.t.test.", T_A, 1)->ttl, 50);
}
END_TEST

START_TEST(origin_from_file_name)
{
    struct dname d;
    ck_assert_int_eq(zone_origin_from_file("/x/y/Example.Test.zone", &d), 0);
    char t[300];
    name_to_text(d.wire, t, sizeof(t));
    ck_assert_str_eq(t, "Example.Test.");
    ck_assert_int_eq(zone_origin_from_file("db.example", &d), -1);
    ck_assert_int_eq(zone_origin_from_file("module0", &d), -1);
}
END_TEST

START_TEST(syntax_errors_name_file_and_line)
{
    expect_error(HEAD "a A 192.0.2.1\nb BOGUS 1\n",
                 "t.test.zone:5: unknown or unsupported type 'BOGUS'");
    expect_error(HEAD "a A 192.0.2.1 (\n\n", "t.test.zone:4: '(' opened at line 4 is never closed");
    expect_error(HEAD "a A 192.0.2.1 )\n", "t.test.zone:4: ')' without '('");
    expect_error(HEAD "a TXT \"open\n", "t.test.zone:4: unterminated quoted string");
    expect_error(HEAD "$INCLUDE other.zone\n", "t.test.zone:4: $INCLUDE is not supported");
    expect_error(HEAD "$GENERATE 1-2 a$ A 192.0.2.1\n", "t.test.zone:4: unknown directive");
    expect_error(HEAD "a CH A 192.0.2.1\n", "t.test.zone:4: class CH is not supported");
    expect_error(HEAD "a A\n", "t.test.zone:4: missing IPv4 address");
    expect_error(HEAD "a A 192.0.2.1 extra\n", "t.test.zone:4: unexpected 'extra'");
    expect_error(HEAD "a MX 10\n", "t.test.zone:4: missing mail exchange");
    expect_error(HEAD "a MX 65536 b\n", "t.test.zone:4: bad MX preference");
    expect_error(HEAD "a 2147483648 A 192.0.2.1\n", "t.test.zone:4: bad TTL");
    expect_error("$TTL 1x\n", "t.test.zone:1: bad $TTL");
    expect_error(" A 192.0.2.1\n", "t.test.zone:1: no owner name");
}
END_TEST

START_TEST(bad_rdata_values)
{
    expect_error(HEAD "a A 192.0.2.256\n", "bad IPv4 address '192.0.2.256'");
    expect_error(HEAD "a A 192.0.2.01\n", "bad IPv4 address");
    expect_error(HEAD "a A 192.0.2\n", "bad IPv4 address");
    expect_error(HEAD "a AAAA 1::2::3\n", "bad IPv6 address");
    expect_error(HEAD "a AAAA 1:2:3:4:5:6:7:8:9\n", "bad IPv6 address");
    expect_error(HEAD "a AAAA 12345::\n", "bad IPv6 address");
    expect_error(HEAD "a AAAA 1:2:3:4:5:6:7\n", "bad IPv6 address");
    expect_error(HEAD "a AAAA :1::\n", "bad IPv6 address");
    expect_error(HEAD "a CAA 0 is-sue x\n", "CAA tag must be");
    expect_error(HEAD "a CAA 256 issue x\n", "bad CAA flags");
    expect_error(HEAD "a A \"192.0.2.1\"\n", "may not be a quoted string");
    expect_error(HEAD "a SRV 1 2 x y\n", "bad SRV port");
}
END_TEST

START_TEST(length_limits)
{
    char text[2048];
    char label[70];
    memset(label, 'x', 64);
    label[64] = '\0';
    snprintf(text, sizeof(text), HEAD "%s A 192.0.2.1\n", label);
    expect_error(text, "t.test.zone:4: bad owner");
    expect_error(text, "label longer than 63 octets");
    label[63] = '\0'; /* 63 is fine, but five of them are too long a name */
    snprintf(text, sizeof(text), HEAD "%s.%s.%s.%s A 192.0.2.1\n", label, label, label, label);
    expect_error(text, "name longer than 255 octets");
    char txt[300];
    memset(txt, 'y', 256);
    txt[256] = '\0';
    snprintf(text, sizeof(text), HEAD "t TXT \"%s\"\n", txt);
    expect_error(text, "longer than 255 octets");
    txt[255] = '\0';
    snprintf(text, sizeof(text), HEAD "t TXT \"%s\"\n", txt);
    ck_assert_int_eq(parse(text), 0);
}
END_TEST

START_TEST(zone_rules)
{
    expect_error("$TTL 1\na A 192.0.2.1\n@ SOA ns hm 1 2 3 4 5\n",
                 "t.test.zone:2: the first record must be the zone's SOA");
    expect_error(HEAD "@ SOA ns hm 2 2 3 4 5\n", "t.test.zone:4: a second SOA record");
    expect_error(HEAD "www.other.test. A 192.0.2.1\n",
                 "t.test.zone:4: www.other.test. is outside the zone t.test.");
    expect_error(HEAD "c CNAME a\nc A 192.0.2.1\n",
                 "t.test.zone:5: CNAME and other data at c.t.test.");
    expect_error(HEAD "c CNAME a\nc CNAME b\n", "more than one CNAME at c.t.test.");
    expect_error("$TTL 1\n@ SOA ns hm 1 2 3 4 5\na NS ns\n",
                 "t.test.zone:2: no NS records at the zone apex");
    expect_error("", "no records");
    expect_error("; only a comment\n", "no records");
    expect_error("$TTL 1\n$ORIGIN .\nrel A 192.0.2.1\n", "the first record must be the zone's SOA");
}
END_TEST

START_TEST(nul_byte_rejected)
{
    static const char text[] = HEAD "a TXT x\0y\n";
    ck_assert_int_eq(zone_parse(&z, text, sizeof(text) - 1, "t.test.zone", err, sizeof(err)), -1);
    ck_assert_str_eq(err, "t.test.zone:4: NUL byte in zone text");
}
END_TEST

START_TEST(no_origin_without_zone_file_name)
{
    err[0] = '\0';
    const char *text = "@ SOA ns hm 1 2 3 4 5\n";
    ck_assert_int_eq(zone_parse(&z, text, strlen(text), "module0", err, sizeof(err)), -1);
    ck_assert_str_eq(err, "module0:1: bad owner '@': '@' used but no $ORIGIN is known");
    text = "$ORIGIN m.test.\n@ 60 SOA ns hm 1 2 3 4 5\n NS ns\n";
    ck_assert_int_eq(zone_parse(&z, text, strlen(text), "module0", err, sizeof(err)), 0);
}
END_TEST

Suite *zone_suite(void)
{
    Suite *s = suite_create("dns-zone");
    TCase *tc = tcase_create("zone");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, example_zone_loads);
    tcase_add_test(tc, origin_relative_absolute_and_at);
    tcase_add_test(tc, blank_owner_repeats_previous);
    tcase_add_test(tc, parentheses_and_comments);
    tcase_add_test(tc, ttls_and_classes);
    tcase_add_test(tc, soa_minimum_when_no_ttl_at_all);
    tcase_add_test(tc, txt_strings_and_escapes);
    tcase_add_test(tc, every_type);
    tcase_add_test(tc, duplicates_dropped_ttls_unified);
    tcase_add_test(tc, origin_from_file_name);
    tcase_add_test(tc, syntax_errors_name_file_and_line);
    tcase_add_test(tc, bad_rdata_values);
    tcase_add_test(tc, length_limits);
    tcase_add_test(tc, zone_rules);
    tcase_add_test(tc, nul_byte_rejected);
    tcase_add_test(tc, no_origin_without_zone_file_name);
    suite_add_tcase(s, tc);
    return s;
}
