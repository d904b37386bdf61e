/* Unit tests for libos/inet.c: address text to binary and back. Built
 * against the host's Linux headers, whose structures and constants libos's
 * public headers copy; the functions under test are libos's own. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "suites.h"

static int pton4(const char *s, unsigned char out[4])
{
    memset(out, 0xee, 4);
    return inet_pton(AF_INET, s, out);
}

static int pton6(const char *s, unsigned char out[16])
{
    memset(out, 0xee, 16);
    return inet_pton(AF_INET6, s, out);
}

START_TEST(pton4_dotted_quads)
{
    unsigned char a[4];
    ck_assert_int_eq(pton4("192.0.2.1", a), 1);
    ck_assert_mem_eq(a, "\xc0\x00\x02\x01", 4);
    ck_assert_int_eq(pton4("0.0.0.0", a), 1);
    ck_assert_mem_eq(a, "\0\0\0\0", 4);
    ck_assert_int_eq(pton4("255.255.255.255", a), 1);
    ck_assert_mem_eq(a, "\xff\xff\xff\xff", 4);
}
END_TEST

START_TEST(pton4_rejects_other_forms)
{
    static const char *const bad[] = {"",         "1.2.3",    "1.2.3.4.5", "256.1.1.1",
                                      "01.2.3.4", "1.2.3.04", "1..2.3",    "1.2.3.",
                                      ".1.2.3.4", "1.2.3.4 ", " 1.2.3.4",  "0x1.2.3.4",
                                      "1.2.3.-4", "a.b.c.d",  "1.2.3.4x"};
    unsigned char a[4];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(pton4(bad[i], a) == 0, "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(pton6_text_forms)
{
    unsigned char a[16];
    ck_assert_int_eq(pton6("::", a), 1);
    ck_assert_mem_eq(a, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
    ck_assert_int_eq(pton6("::1", a), 1);
    ck_assert_mem_eq(a, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16);
    ck_assert_int_eq(pton6("2001:DB8::a:1", a), 1);
    ck_assert_mem_eq(a, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\x0a\0\x01", 16);
    ck_assert_int_eq(pton6("1:2:3:4:5:6:7:8", a), 1);
    ck_assert_mem_eq(a, "\0\1\0\2\0\3\0\4\0\5\0\6\0\7\0\x08", 16);
    ck_assert_int_eq(pton6("fe80::", a), 1);
    ck_assert_mem_eq(a, "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
    ck_assert_int_eq(pton6("::ffff:192.0.2.1", a), 1);
    ck_assert_mem_eq(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff\xc0\x00\x02\x01", 16);
    ck_assert_int_eq(pton6("1:2:3:4:5:6:1.2.3.4", a), 1);
    ck_assert_mem_eq(a, "\0\1\0\2\0\3\0\4\0\5\0\6\1\2\3\4", 16);
}
END_TEST

START_TEST(pton6_rejects_malformed)
{
    static const char *const bad[] = {"",
                                      ":",
                                      ":::",
                                      "1::2::3",
                                      "1:2:3:4:5:6:7:8:9",
                                      "1:2:3:4:5:6:7",
                                      "12345::",
                                      "g::",
                                      ":1::",
                                      "1::2:",
                                      "1:2:3:4:5:6:7:8::",
                                      "::1.2.3",
                                      "::1.2.3.4:5",
                                      "1::256.0.0.1",
                                      "1:2:3:4:5:6:7:1.2.3.4"};
    unsigned char a[16];
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(pton6(bad[i], a) == 0, "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(pton_unknown_family)
{
    unsigned char a[16];
    errno = 0;
    ck_assert_int_eq(inet_pton(12345, "1.2.3.4", a), -1);
    ck_assert_int_eq(errno, EAFNOSUPPORT);
}
END_TEST

static const char *ntop6(const char *text, char *buf, socklen_t size)
{
    unsigned char a[16];
    ck_assert_int_eq(pton6(text, a), 1);
    return inet_ntop(AF_INET6, a, buf, size);
}

START_TEST(ntop6_rfc5952)
{
    char buf[INET6_ADDRSTRLEN];
    /* Lower case, no leading zeros, the longest zero run as "::" (the
     * first of equal runs), a single zero word not compressed. */
    ck_assert_str_eq(ntop6("2001:0DB8:0000:0000:0000:0000:0000:0001", buf, sizeof(buf)),
                     "2001:db8::1");
    ck_assert_str_eq(ntop6("2001:db8:0:0:1:0:0:1", buf, sizeof(buf)), "2001:db8::1:0:0:1");
    ck_assert_str_eq(ntop6("2001:db8:0:1:1:1:1:1", buf, sizeof(buf)), "2001:db8:0:1:1:1:1:1");
    ck_assert_str_eq(ntop6("::", buf, sizeof(buf)), "::");
    ck_assert_str_eq(ntop6("::1", buf, sizeof(buf)), "::1");
    ck_assert_str_eq(ntop6("fe80::", buf, sizeof(buf)), "fe80::");
    ck_assert_str_eq(ntop6("::ffff:192.0.2.1", buf, sizeof(buf)), "::ffff:192.0.2.1");
    ck_assert_str_eq(ntop6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", buf, sizeof(buf)),
                     "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}
END_TEST

START_TEST(ntop_buffer_too_small)
{
    char buf[INET6_ADDRSTRLEN];
    unsigned char v4[4] = {192, 0, 2, 1};
    errno = 0;
    ck_assert_ptr_null(inet_ntop(AF_INET, v4, buf, 9)); /* "192.0.2.1" needs 10 */
    ck_assert_int_eq(errno, ENOSPC);
    ck_assert_str_eq(inet_ntop(AF_INET, v4, buf, 10), "192.0.2.1");
    errno = 0;
    ck_assert_ptr_null(ntop6("2001:db8::1", buf, 11));
    ck_assert_int_eq(errno, ENOSPC);
    ck_assert_str_eq(ntop6("2001:db8::1", buf, 12), "2001:db8::1");
    errno = 0;
    ck_assert_ptr_null(inet_ntop(12345, v4, buf, sizeof(buf)));
    ck_assert_int_eq(errno, EAFNOSUPPORT);
}
END_TEST

START_TEST(aton_bsd_forms)
{
    struct in_addr a;
    ck_assert_int_eq(inet_aton("192.0.2.1", &a), 1);
    ck_assert_uint_eq(ntohl(a.s_addr), 0xc0000201);
    ck_assert_int_eq(inet_aton("10.1", &a), 1); /* a.b: 8.24 bits */
    ck_assert_uint_eq(ntohl(a.s_addr), 0x0a000001);
    ck_assert_int_eq(inet_aton("10.1.2", &a), 1); /* a.b.c: 8.8.16 bits */
    ck_assert_uint_eq(ntohl(a.s_addr), 0x0a010002);
    ck_assert_int_eq(inet_aton("0x7f.1", &a), 1); /* hex and octal parts */
    ck_assert_uint_eq(ntohl(a.s_addr), 0x7f000001);
    ck_assert_int_eq(inet_aton("017.0.0.1", &a), 1);
    ck_assert_uint_eq(ntohl(a.s_addr), 0x0f000001);
    ck_assert_int_eq(inet_aton("4294967295", &a), 1);
    ck_assert_uint_eq(a.s_addr, 0xffffffff);
    ck_assert_int_eq(inet_aton("1.2.3.4", NULL), 1); /* validation only */
    ck_assert_int_eq(inet_aton("4294967296", &a), 0);
    ck_assert_int_eq(inet_aton("1.256.3", &a), 0);
    ck_assert_int_eq(inet_aton("1.2.3.256", &a), 0);
    ck_assert_int_eq(inet_aton("1.2.3.4.5", &a), 0);
    ck_assert_int_eq(inet_aton("08.1.1.1", &a), 0); /* 8 is no octal digit */
    ck_assert_int_eq(inet_aton("0x.1.1.1", &a), 0);
    ck_assert_int_eq(inet_aton("", &a), 0);
    ck_assert_int_eq(inet_aton("1.2.3.", &a), 0);
}
END_TEST

START_TEST(addr_and_ntoa)
{
    ck_assert_uint_eq(ntohl(inet_addr("127.0.0.1")), 0x7f000001);
    ck_assert_uint_eq(inet_addr("no.such.address"), INADDR_NONE);
    struct in_addr a = {htonl(0xc0000201)};
    ck_assert_str_eq(inet_ntoa(a), "192.0.2.1");
}
END_TEST

Suite *inet_suite(void)
{
    Suite *s = suite_create("inet");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, pton4_dotted_quads);
    tcase_add_test(tc, pton4_rejects_other_forms);
    tcase_add_test(tc, pton6_text_forms);
    tcase_add_test(tc, pton6_rejects_malformed);
    tcase_add_test(tc, pton_unknown_family);
    tcase_add_test(tc, ntop6_rfc5952);
    tcase_add_test(tc, ntop_buffer_too_small);
    tcase_add_test(tc, aton_bsd_forms);
    tcase_add_test(tc, addr_and_ntoa);
    suite_add_tcase(s, tc);
    return s;
}
