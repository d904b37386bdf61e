/* RFC 3339 times (rfc3339.c) and alert ids (alert_id.c). */
#include <check.h>
#include <string.h>

#include "alert_id.h"
#include "fixture.h"
#include "rfc3339.h"

START_TEST(parse_times)
{
    int64_t ms = 0;
    ck_assert_int_eq(corr_time_parse("2026-12-01T00:00:00.000Z", &ms), 0);
    ck_assert_int_eq(ms, T0);
    ck_assert_int_eq(corr_time_parse("2026-12-01T03:55:47.123Z", &ms), 0);
    ck_assert_int_eq(ms, T0 + ((3 * 60 + 55) * 60 + 47) * 1000LL + 123);
    ck_assert_int_eq(corr_time_parse("1970-01-01T00:00:00Z", &ms), 0);
    ck_assert_int_eq(ms, 0);
    ck_assert_int_eq(corr_time_parse("2000-03-01T00:00:00Z", &ms), 0); /* after 29 Feb 2000 */
    ck_assert_int_eq(ms, 951868800000LL);
    ck_assert_int_eq(corr_time_parse("2026-12-01T01:00:00.5+01:00", &ms), 0);
    ck_assert_int_eq(ms, T0 + 500);
    ck_assert_int_eq(corr_time_parse("2026-11-30t23:30:00.123456z", &ms), 0);
    ck_assert_int_eq(ms, T0 - 1800000 + 123);
    ck_assert_int_eq(corr_time_parse("2026-11-30T23:00:00-01:00", &ms), 0);
    ck_assert_int_eq(ms, T0);
    ck_assert_int_eq(corr_time_parse("2024-02-29T00:00:00Z", &ms), 0);
}
END_TEST

START_TEST(reject_bad_times)
{
    static const char *const wrong[] = {"",
                                        "2026-12-01",
                                        "2026-12-01T00:00:00",
                                        "2026-12-01T00:00:00.Z",
                                        "2026-13-01T00:00:00Z",
                                        "2026-02-29T00:00:00Z",
                                        "2026-12-01T24:00:00Z",
                                        "1969-12-31T23:59:59Z",
                                        "2026-12-01T00:00:00Zx",
                                        "2026-12-01T00:00:00+0100",
                                        "26-12-01T00:00:00Z",
                                        "2100-02-29T00:00:00Z",
                                        "2026-04-31T00:00:00Z"};
    for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
        int64_t ms = 7;
        ck_assert_msg(corr_time_parse(wrong[i], &ms) == -1, "'%s' accepted", wrong[i]);
        ck_assert_int_eq(ms, 7);
    }
    ck_assert_int_eq(corr_time_parse(NULL, NULL), -1);
}
END_TEST

START_TEST(format_round_trip)
{
    char buf[CORR_TIME_LEN];
    corr_time_format(T0 + 14147123, buf);
    ck_assert_str_eq(buf, "2026-12-01T03:55:47.123Z");
    corr_time_format(0, buf);
    ck_assert_str_eq(buf, "1970-01-01T00:00:00.000Z");
    corr_time_format(951782400000LL, buf);
    ck_assert_str_eq(buf, "2000-02-29T00:00:00.000Z");
    corr_time_format(1704067199999LL, buf);
    ck_assert_str_eq(buf, "2023-12-31T23:59:59.999Z");
    /* Every day boundary of several years, and odd milliseconds. */
    for (int64_t ms = 946684800000LL; ms < 1100000000000LL; ms += 86400000LL * 7 + 3601001) {
        int64_t back = -1;
        corr_time_format(ms, buf);
        ck_assert_int_eq(corr_time_parse(buf, &back), 0);
        ck_assert_int_eq(back, ms);
    }
}
END_TEST

START_TEST(alert_ids)
{
    char a[CORR_ALERT_ID_LEN], b[CORR_ALERT_ID_LEN], c[CORR_ALERT_ID_LEN];
    corr_alert_id("ssh_brute_force", "10.0.0.1", "00112233445566778899aabbccddeeff", a);
    corr_alert_id("ssh_brute_force", "10.0.0.1", "00112233445566778899aabbccddeeff", b);
    ck_assert_str_eq(a, b);
    ck_assert_uint_eq(strlen(a), 32);
    ck_assert_uint_eq(strspn(a, "0123456789abcdef"), 32);
    corr_alert_id("ssh_brute_force", "10.0.0.2", "00112233445566778899aabbccddeeff", c);
    ck_assert_str_ne(a, c);
    corr_alert_id("ssh_brute_forc", "e10.0.0.1", "00112233445566778899aabbccddeeff", c);
    ck_assert_str_ne(a, c); /* the parts are delimited */
    corr_alert_id("ssh_brute_force", "10.0.0.1", "00112233445566778899aabbccddeef0", c);
    ck_assert_str_ne(a, c);
    ck_assert(memcmp(a, c, 16) != 0 && memcmp(a + 16, c + 16, 16) != 0);
    /* The two halves are different functions: never equal here. */
    ck_assert(memcmp(a, a + 16, 16) != 0);
    /* FNV-1a 64 of "a" (a published test vector). */
    ck_assert(corr_fnv1a64(CORR_FNV_BASIS, "a", 1) == 0xaf63dc4c8601ec8cULL);
}
END_TEST

Suite *corr_time_suite(void)
{
    Suite *s = suite_create("siem-corr-time");
    TCase *tc = tcase_create("time");
    tcase_add_test(tc, parse_times);
    tcase_add_test(tc, reject_bad_times);
    tcase_add_test(tc, format_round_trip);
    tcase_add_test(tc, alert_ids);
    suite_add_tcase(s, tc);
    return s;
}
