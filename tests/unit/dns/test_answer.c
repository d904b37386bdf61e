/* Unit tests for apps/dns/answer.c and respond.c against the example zone:
 * flags, response codes, sections, truncation, EDNS, wildcards, CNAME
 * chains, referrals, counters, and nested zones. */
#include <string.h>

#include "suites.h"

static struct db db;
static struct stats st;
static uint8_t q[1024], out[DNS_MSG_MAX];
static struct msg_view m;
static size_t out_len;

static void setup(void)
{
    memset(&st, 0, sizeof(st));
    ck_assert_int_eq(db_from_example(&db), 0);
}

static void teardown(void)
{
    db_free(&db);
}

/* Sends one query through dns_answer and decodes the response into m. */
static void ask_full(const char *name, uint16_t type, uint16_t qclass, int edns, uint8_t version,
                     uint16_t flags, bool tcp)
{
    size_t n = mkquery(q, name, type, qclass, edns, version, flags);
    out_len = dns_answer(&db, &st, q, n, out, sizeof(out), tcp);
    ck_assert_uint_gt(out_len, 0);
    ck_assert_msg(parse_msg(out, out_len, &m) == 0, "malformed response to %s", name);
    ck_assert_uint_eq(m.id, 0xbeef);
    ck_assert(m.flags & F_QR);
    ck_assert(!(m.flags & F_RA)); /* never recursion (RFC 1035 section 4.1.1) */
}

static void ask(const char *name, uint16_t type)
{
    ask_full(name, type, C_IN, 1232, 0, 0, false);
}

static bool response_contains(const char *text)
{
    size_t n = strlen(text);
    for (size_t i = 0; i + n <= out_len; i++)
        if (memcmp(out + i, text, n) == 0)
            return true;
    return false;
}

static const struct rr_view *rr(int section, int i)
{
    const struct rr_view *r = section_rr(&m, section, i);
    ck_assert_msg(r != NULL, "no record %d in section %d", i, section);
    return r;
}

static void expect_negative(int rcode)
{
    ck_assert_int_eq(m.rcode, rcode);
    ck_assert(m.flags & F_AA);
    ck_assert_int_eq(m.nrr[SEC_AN] + m.nrr[SEC_AR], 0);
    ck_assert_int_eq(m.nrr[SEC_NS], 1);
    ck_assert_uint_eq(rr(SEC_NS, 0)->type, T_SOA);
    ck_assert_uint_eq(rr(SEC_NS, 0)->ttl, 300); /* min(3600, MINIMUM 300): RFC 2308 section 3 */
    ck_assert_str_eq(rr(SEC_NS, 0)->owner, "example.test.");
}

START_TEST(positive_answer)
{
    ask("www.example.test.", T_A);
    ck_assert_int_eq(m.rcode, RC_NOERROR);
    ck_assert(m.flags & F_AA);
    ck_assert_int_eq(m.nrr[SEC_AN], 2);
    ck_assert_str_eq(rr(SEC_AN, 0)->rdata, "192.0.2.80");
    ck_assert_str_eq(rr(SEC_AN, 1)->rdata, "192.0.2.81");
    ck_assert_int_eq(m.nrr[SEC_NS] + m.nrr[SEC_AR], 0); /* minimal responses */
    ck_assert(m.opt);
    ck_assert_uint_eq(m.opt_size, DNS_EDNS_SIZE);
}
END_TEST

START_TEST(case_of_question_is_echoed)
{
    ask("WwW.ExAmPlE.TeSt.", T_A);
    ck_assert_str_eq(m.qname, "WwW.ExAmPlE.TeSt.");
    ck_assert_str_eq(rr(SEC_AN, 0)->owner, "WwW.ExAmPlE.TeSt.");
    ask("NOPE.EXAMPLE.test.", T_A);
    ck_assert_str_eq(rr(SEC_NS, 0)->owner, "EXAMPLE.test."); /* compressed against the question */
}
END_TEST

START_TEST(nxdomain_and_nodata)
{
    ask("nope.example.test.", T_A);
    expect_negative(RC_NXDOMAIN);
    ask("www.example.test.", T_MX);
    expect_negative(RC_NOERROR);
    ask("deep.example.test.", T_A); /* an empty non-terminal */
    expect_negative(RC_NOERROR);
    ask("c.deep.example.test.", T_A);
    expect_negative(RC_NOERROR);
}
END_TEST

START_TEST(wildcards)
{
    ask("Foo.wild.example.test.", T_A);
    ck_assert(m.flags & F_AA);
    ck_assert_str_eq(rr(SEC_AN, 0)->owner, "Foo.wild.example.test.");
    ck_assert_str_eq(rr(SEC_AN, 0)->rdata, "192.0.2.99");
    ask("a.b.c.wild.example.test.", T_TXT); /* any depth below the closest encloser */
    ck_assert_int_eq(m.nrr[SEC_AN], 1);
    ask("host.wild.example.test.", T_A); /* an existing name is not synthesised */
    ck_assert_str_eq(rr(SEC_AN, 0)->rdata, "192.0.2.98");
    ask("host.wild.example.test.", T_TXT);
    expect_negative(RC_NOERROR);
    ask("x.b.wild.example.test.", T_A); /* b.wild exists (empty): no wildcard below it */
    expect_negative(RC_NXDOMAIN);
    ask("foo.wild.example.test.", T_MX); /* wildcard NODATA */
    expect_negative(RC_NOERROR);
}
END_TEST

START_TEST(cname_chains)
{
    ask("alias.example.test.", T_A);
    ck_assert_int_eq(m.rcode, RC_NOERROR);
    ck_assert_int_eq(m.nrr[SEC_AN], 4);
    ck_assert_uint_eq(rr(SEC_AN, 0)->type, T_CNAME);
    ck_assert_str_eq(rr(SEC_AN, 1)->owner, "ftp.example.test.");
    ck_assert_str_eq(rr(SEC_AN, 2)->owner, "www.example.test.");
    ask("alias.example.test.", T_CNAME); /* the CNAME itself, not followed */
    ck_assert_int_eq(m.nrr[SEC_AN], 1);
    ask("dangling.example.test.", T_A); /* RFC 6604: the rcode of the last name */
    ck_assert_int_eq(m.rcode, RC_NXDOMAIN);
    ck_assert_int_eq(m.nrr[SEC_AN], 1);
    ck_assert_uint_eq(rr(SEC_NS, 0)->type, T_SOA);
    ask("external.example.test.", T_A); /* leaves the zone: not followed */
    ck_assert_int_eq(m.nrr[SEC_AN], 1);
    ck_assert_int_eq(m.rcode, RC_NOERROR);
    ask("loop1.example.test.", T_A); /* a loop ends when a name repeats */
    ck_assert_int_eq(m.nrr[SEC_AN], 2);
    ask("x.cn.example.test.", T_AAAA); /* a wildcard CNAME */
    ck_assert_str_eq(rr(SEC_AN, 0)->owner, "x.cn.example.test.");
    ck_assert_str_eq(rr(SEC_AN, 1)->rdata, "2001:db8::80");
    ask("tosub.example.test.", T_A); /* into a delegation: CNAME, then referral */
    ck_assert(m.flags & F_AA);
    ck_assert_int_eq(m.nrr[SEC_AN], 1);
    ck_assert_uint_eq(rr(SEC_NS, 0)->type, T_NS);
}
END_TEST

START_TEST(referrals_with_glue)
{
    ask("host.sub.example.test.", T_A);
    ck_assert_int_eq(m.rcode, RC_NOERROR);
    ck_assert(!(m.flags & F_AA));
    ck_assert_int_eq(m.nrr[SEC_AN], 0);
    ck_assert_int_eq(m.nrr[SEC_NS], 2);
    ck_assert_str_eq(rr(SEC_NS, 0)->owner, "sub.example.test.");
    ck_assert_int_eq(m.nrr[SEC_AR], 2); /* A and AAAA of ns1.sub */
    ck_assert_str_eq(rr(SEC_AR, 0)->owner, "ns1.sub.example.test.");
    ask("sub.example.test.", T_NS); /* at the cut too */
    ck_assert(!(m.flags & F_AA));
    ck_assert_int_eq(m.nrr[SEC_NS], 2);
    ask("ns1.sub.example.test.", T_A); /* glue is not authoritative data */
    ck_assert(!(m.flags & F_AA));
    ck_assert_int_eq(m.nrr[SEC_AN], 0);
    ask("x.other.example.test.", T_A); /* no glue for servers elsewhere */
    ck_assert_int_eq(m.nrr[SEC_NS], 1);
    ck_assert_int_eq(m.nrr[SEC_AR], 0);
    ask("sub.example.test.", T_DS); /* DS belongs to the parent side */
    expect_negative(RC_NOERROR);
}
END_TEST

START_TEST(apex_ns_gets_addresses)
{
    ask("example.test.", T_NS);
    ck_assert(m.flags & F_AA);
    ck_assert_int_eq(m.nrr[SEC_AN], 2);
    ck_assert_int_eq(m.nrr[SEC_AR], 3); /* ns1 A and AAAA, ns2 A */
}
END_TEST

START_TEST(any_is_minimal)
{
    ask("example.test.", T_ANY);
    ck_assert_int_eq(m.nrr[SEC_AN], 1);
    ck_assert_uint_eq(rr(SEC_AN, 0)->type, T_SOA);
    ask("www.example.test.", T_ANY);
    ck_assert_int_eq(m.nrr[SEC_AN], 2); /* one RRset: the two A records */
    ck_assert_uint_eq(rr(SEC_AN, 1)->type, T_A);
    ask("alias.example.test.", T_ANY);
    ck_assert_int_eq(m.nrr[SEC_AN], 1);
    ck_assert_uint_eq(rr(SEC_AN, 0)->type, T_CNAME);
}
END_TEST

START_TEST(truncation)
{
    ask_full("big.example.test.", T_TXT, C_IN, -1, 0, 0, false);
    ck_assert(m.flags & F_TC);
    ck_assert_int_eq(m.nrr[SEC_AN] + m.nrr[SEC_NS] + m.nrr[SEC_AR], 0);
    ck_assert_uint_le(out_len, 512);
    ask_full("medium.example.test.", T_TXT, C_IN, -1, 0, 0, false);
    ck_assert(m.flags & F_TC);
    ask_full("medium.example.test.", T_TXT, C_IN, 1232, 0, 0, false);
    ck_assert(!(m.flags & F_TC));
    ck_assert_int_eq(m.nrr[SEC_AN], 8);
    ck_assert_uint_gt(out_len, 512);
    ask_full("medium.example.test.", T_TXT, C_IN, 100, 0, 0, false); /* below 512 means 512 */
    ck_assert(m.flags & F_TC);
    ask_full("big.example.test.", T_TXT, C_IN, 65535, 0, 0, false); /* we send at most 1232 */
    ck_assert(m.flags & F_TC);
    ck_assert_uint_le(out_len, DNS_EDNS_SIZE);
    ask_full("big.example.test.", T_TXT, C_IN, -1, 0, 0, true);
    ck_assert(!(m.flags & F_TC));
    ck_assert_int_eq(m.nrr[SEC_AN], 40);
    ck_assert_uint_gt(out_len, 2000);
    ck_assert_uint_eq(st.c[S_TRUNCATED], 4);
}
END_TEST

START_TEST(errors_and_flags)
{
    ask_full("www.example.com.", T_A, C_IN, 1232, 0, F_RD, false);
    ck_assert_int_eq(m.rcode, RC_REFUSED);
    ck_assert(!(m.flags & F_AA));
    ck_assert(m.flags & F_RD);
    ck_assert_uint_eq(get16(out + out_len - 2), 20); /* EDE "Not Authoritative" (RFC 8914) */
    ask_full("www.example.test.", T_A, C_IN, 1232, 1, 0, false);
    ck_assert_int_eq(m.rcode, RC_BADVERS);
    ck_assert(!(m.flags & F_AA));
    ck_assert_int_eq(m.nrr[SEC_AN], 0);
    ask_full("www.example.test.", T_A, C_IN, -1, 0, F_CD | F_AD, false);
    ck_assert(m.flags & F_CD); /* RFC 4035 section 3.1.6 */
    ck_assert(!(m.flags & F_AD));
    ask_full("www.example.test.", T_A, C_ANY, -1, 0, 0, false);
    ck_assert_int_eq(m.nrr[SEC_AN], 2);
    ck_assert(!(m.flags & F_AA));
    size_t n = mkquery(q, "www.example.test.", T_A, C_IN, -1, 0, 2 << 11 | F_RD);
    out_len = dns_answer(&db, &st, q, n, out, sizeof(out), false);
    ck_assert_uint_eq(out_len, DNS_HEADER);
    ck_assert_uint_eq(get16(out + 2), F_QR | 2 << 11 | F_RD | RC_NOTIMP);
    put16(q + 4, 0);
    put16(q + 2, 0);
    out_len = dns_answer(&db, &st, q, n, out, sizeof(out), false);
    ck_assert_uint_eq(get16(out + 2) & 15, RC_FORMERR);
    put16(q + 2, F_QR);
    ck_assert_uint_eq(dns_answer(&db, &st, q, n, out, sizeof(out), false), 0);
    ck_assert_uint_eq(st.c[S_MALFORMED], 2);
    ck_assert_uint_eq(st.c[S_NOTIMP], 1);
}
END_TEST

START_TEST(chaos_stats)
{
    ask("www.example.test.", T_A);
    ask("nope.example.test.", T_AAAA);
    ask_full("stats.server.", T_TXT, C_CH, 1232, 0, 0, false);
    ck_assert_int_eq(m.rcode, RC_NOERROR);
    ck_assert_uint_eq(rr(SEC_AN, 0)->qclass, C_CH);
    ck_assert(response_contains("queries=3"));
    ck_assert(response_contains("nxdomain=1"));
    ck_assert(response_contains("AAAA=1"));
    ask_full("version.bind.", T_TXT, C_CH, 1232, 0, 0, false);
    ck_assert_int_eq(m.rcode, RC_REFUSED);
}
END_TEST

START_TEST(nested_zones)
{
    db_free(&db);
    static const char *const texts[] = {
        "$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.1\n"
        "child NS ns.child\nns.child A 192.0.2.2\n",
        "$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 192.0.2.2\nwww A 192.0.2.3\n",
    };
    static const char *const files[] = {"parent.test.zone", "child.parent.test.zone"};
    ck_assert_int_eq(db_from_texts(&db, texts, files, 2), 0);
    ask("www.child.parent.test.", T_A); /* the deepest zone answers */
    ck_assert(m.flags & F_AA);
    ck_assert_str_eq(rr(SEC_AN, 0)->rdata, "192.0.2.3");
    ask("child.parent.test.", T_SOA);
    ck_assert(m.flags & F_AA);
    ck_assert_uint_eq(rr(SEC_AN, 0)->type, T_SOA);
    ask("child.parent.test.", T_DS); /* the parent answers DS */
    ck_assert_str_eq(rr(SEC_NS, 0)->owner, "parent.test.");
}
END_TEST

START_TEST(duplicate_zone_rejected)
{
    db_free(&db);
    static const char *const texts[] = {
        "$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n",
        "$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\n",
    };
    static const char *const files[] = {"a/x.test.zone", "b/x.test.zone"};
    ck_assert_int_eq(db_from_texts(&db, texts, files, 2), -1);
}
END_TEST

START_TEST(root_zone)
{
    /* A zone at the root: its apex has no parent, so no empty
     * non-terminal may be made from the bytes that follow its name (the
     * SOA's RDATA here); the index holds exactly "." and "ns.". */
    db_free(&db);
    static const char *const texts[] = {
        "$TTL 60\n. SOA m.example. hm. 1 2 3 4 5\n NS ns.\nns. A 192.0.2.1\n",
    };
    static const char *const files[] = {"root.zone"};
    ck_assert_int_eq(db_from_texts(&db, texts, files, 1), 0);
    ck_assert_uint_eq(db.nnodes, 2);
    ask(".", T_NS);
    ck_assert(m.flags & F_AA);
    ck_assert_str_eq(rr(SEC_AN, 0)->rdata, "ns.");
    ask("ns.", T_A);
    ck_assert_str_eq(rr(SEC_AN, 0)->rdata, "192.0.2.1");
    ask("example.", T_A); /* only named in the SOA's RDATA */
    ck_assert_int_eq(m.rcode, RC_NXDOMAIN);
}
END_TEST

Suite *answer_suite(void)
{
    Suite *s = suite_create("dns-answer");
    TCase *tc = tcase_create("answer");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, positive_answer);
    tcase_add_test(tc, case_of_question_is_echoed);
    tcase_add_test(tc, nxdomain_and_nodata);
    tcase_add_test(tc, wildcards);
    tcase_add_test(tc, cname_chains);
    tcase_add_test(tc, referrals_with_glue);
    tcase_add_test(tc, apex_ns_gets_addresses);
    tcase_add_test(tc, any_is_minimal);
    tcase_add_test(tc, truncation);
    tcase_add_test(tc, errors_and_flags);
    tcase_add_test(tc, chaos_stats);
    tcase_add_test(tc, nested_zones);
    tcase_add_test(tc, duplicate_zone_rejected);
    tcase_add_test(tc, root_zone);
    suite_add_tcase(s, tc);
    return s;
}
