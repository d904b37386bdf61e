/* Calendar arithmetic and RFC 3339 time stamps
 * (apps/siem/common/{civil,siemtime}.c). */
#include <check.h>
#include <string.h>

#include "civil.h"
#include "siemtime.h"

#define SEC 1000000000LL
/* 2026-12-01T00:00:00Z in ms. */
#define DEC1_MS 1796083200000LL

static int64_t ms(const char *s)
{
    int64_t v = 0;
    ck_assert_msg(siem_time_parse_ms(s, &v) == 0, "rejected %s", s);
    return v;
}

static int64_t ns(const char *s)
{
    int64_t v = 0;
    ck_assert_msg(siem_time_parse_ns(s, &v) == 0, "rejected %s", s);
    return v;
}

START_TEST(civil_round_trip)
{
    ck_assert_int_eq(siem_days_from_civil(1970, 1, 1), 0);
    ck_assert_int_eq(siem_days_from_civil(2000, 3, 1), 11017);
    ck_assert_int_eq(siem_days_from_civil(1969, 12, 31), -1);
    /* Every day over +-2200 years converts back to itself, and the next
     * day is always the following valid date. */
    int64_t py = 0;
    unsigned pm = 0, pd = 0;
    for (int64_t z = -800000; z <= 800000; z++) {
        int64_t y;
        unsigned m, d;
        siem_civil_from_days(z, &y, &m, &d);
        /* Plain ifs: a Check assertion per day would take too long. */
        if (!siem_civil_valid(y, m, d) || siem_days_from_civil(y, m, d) != z)
            ck_abort_msg("day %lld: %lld-%u-%u", (long long)z, (long long)y, m, d);
        if (z > -800000 &&
            !(d == pd + 1 || (d == 1 && (m == pm + 1 || (m == 1 && pm == 12 && y == py + 1)))))
            ck_abort_msg("day %lld does not follow the previous one", (long long)z);
        py = y, pm = m, pd = d;
    }
    ck_assert(siem_civil_valid(2024, 2, 29));
    ck_assert(siem_civil_valid(2000, 2, 29));
    ck_assert(!siem_civil_valid(1900, 2, 29));
    ck_assert(!siem_civil_valid(2026, 2, 29));
    ck_assert(!siem_civil_valid(2026, 4, 31));
    ck_assert(!siem_civil_valid(2026, 13, 1));
    ck_assert(!siem_civil_valid(2026, 1, 0));
}
END_TEST

START_TEST(known_instants)
{
    ck_assert_int_eq(ms("1970-01-01T00:00:00Z"), 0);
    ck_assert_int_eq(ms("2026-01-01T00:00:00.000Z"), 1767225600000LL);
    ck_assert_int_eq(ms("2026-12-01T00:00:00.000Z"), DEC1_MS);
    ck_assert_int_eq(ms("2026-12-01T03:55:47.123Z"),
                     DEC1_MS + ((3 * 60 + 55) * 60 + 47) * 1000LL + 123);
    ck_assert_int_eq(ms("2000-02-29T12:34:56.789Z"), 951827696789LL);
    ck_assert_int_eq(ms("2000-03-01T00:00:00Z"), 951868800000LL); /* after 29 Feb 2000 */
    ck_assert_int_eq(ms("2024-02-29T00:00:00Z"), 1709164800000LL);
    ck_assert_int_eq(ms("2024-12-31T23:59:59Z"), 1735689599000LL);
    ck_assert_int_eq(ms("2100-03-01T00:00:00Z"), 4107542400000LL);
    ck_assert_int_eq(ms("2300-01-01T00:00:00Z"), 10413792000000LL);
    ck_assert_int_eq(ms("9999-12-31T23:59:59.999Z"), 253402300799999LL);
}
END_TEST

START_TEST(offsets_and_fractions)
{
    ck_assert_int_eq(ms("2026-01-01T02:00:00+02:00"), ms("2026-01-01T00:00:00Z"));
    ck_assert_int_eq(ms("2025-12-31T19:30:00-04:30"), ms("2026-01-01T00:00:00Z"));
    ck_assert_int_eq(ms("2026-12-01T01:00:00.5+01:00"), DEC1_MS + 500);
    ck_assert_int_eq(ms("2026-11-30T23:00:00-01:00"), DEC1_MS);
    /* Lower-case "t" and "z" (RFC 3339 5.6); the fraction is truncated to
     * milliseconds. */
    ck_assert_int_eq(ms("2026-01-01t00:00:00.5z"), ms("2026-01-01T00:00:00Z") + 500);
    ck_assert_int_eq(ms("2026-11-30t23:30:00.123456z"), DEC1_MS - 1800000 + 123);
    ck_assert_int_eq(ms("2026-01-01T00:00:00.123456789Z"), ms("2026-01-01T00:00:00Z") + 123);
    ck_assert_int_eq(ms("2026-01-01T00:00:00.999999999Z"), ms("2026-01-01T00:00:00Z") + 999);
}
END_TEST

START_TEST(nanoseconds)
{
    /* As nats-server writes message times. */
    ck_assert_int_eq(ns("2026-12-01T04:02:41.65352668Z"), 1796097761LL * SEC + 653526680);
    ck_assert_int_eq(ns("1985-04-12t23:20:50.52z"), 482196050LL * SEC + 520000000);
    ck_assert_int_eq(ns("1985-04-12T23:20:50.123456789+14:00"),
                     (482196050LL - 14 * 3600) * SEC + 123456789);
    ck_assert_int_eq(ns("2003-08-24T05:14:15.000003-07:00"), 1061727255LL * SEC + 3000);
    ck_assert_int_eq(ns("1970-01-01T00:00:00.000000001Z"), 1);
    /* The last nanosecond an int64_t holds, and the next one. */
    ck_assert_int_eq(ns("2262-04-11T23:47:16.854775807Z"), INT64_MAX);
    int64_t v = 7;
    ck_assert_int_eq(siem_time_parse_ns("2262-04-11T23:47:16.854775808Z", &v), -1);
    ck_assert_int_eq(siem_time_parse_ns("2300-01-01T00:00:00Z", &v), -1);
    ck_assert_int_eq(v, 7);
}
END_TEST

/* The stamp inside a longer record: end bounds it, stop is after it. */
START_TEST(bounded_scan)
{
    const char *rec = "2026-12-01T03:59:46Z host app";
    const char *end = rec + strlen(rec), *stop = NULL;
    int64_t v = 0;
    ck_assert_int_eq(siem_time_scan_ns(rec, end, &stop, &v), 0);
    ck_assert_int_eq(v, (DEC1_MS / 1000 + (3 * 60 + 59) * 60 + 46) * SEC);
    ck_assert_ptr_eq(stop, rec + 20);
    /* Cut anywhere inside, it is not a stamp: nothing is read past end. */
    for (size_t n = 0; n < 20; n++)
        ck_assert_msg(siem_time_scan_ns(rec, rec + n, &stop, &v) == -1, "accepted %zu bytes", n);
    const char *frac = "2026-12-01T03:59:46.25+00:00";
    ck_assert_int_eq(siem_time_scan_ns(frac, frac + 22, &stop, &v), -1);
    ck_assert_int_eq(siem_time_scan_ns(frac, frac + strlen(frac), &stop, &v), 0);
    ck_assert_int_eq(v, (DEC1_MS / 1000 + (3 * 60 + 59) * 60 + 46) * SEC + 250000000);
}
END_TEST

START_TEST(rejected)
{
    static const char *const bad[] = {
        "",
        "2026-01-01",
        "2026-01-01T00:00:00",
        "2026-12-01T00:00:00.Z",
        "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z",
        "2026-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z",
        "2026-04-31T00:00:00Z",
        "2026-12-01T24:00:00Z",
        "2026-12-01T00:60:00Z",
        "2026-12-01T00:00:00Zx",
        "2026-01-01T00:00:00Zjunk",
        "2026-12-01T00:00:00+0100",
        "2026-12-01T00:00:00+1:00",
        "2026-12-01T00:00:00+24:00",
        "2026-12-01T00:00:00+01:60",
        "26-12-01T00:00:00Z",
        "2026-1-01T00:00:00Z",
        "10m",
        /* A space for "T": RFC 3339 5.6 lets an application choose it; this
         * one does not. */
        "2026-01-01 00:00:00.123456789Z",
        /* A leap second: POSIX time has no second for it. */
        "2016-12-31T23:59:60Z",
        "2026-12-01T03:59:60Z",
        /* More than 9 fraction digits. */
        "2026-12-01T03:59:46.1234567891Z",
        /* Before 1970, also by the offset alone. */
        "1969-12-31T23:59:59Z",
        "0000-01-01T00:00:00Z",
        "1970-01-01T00:30:00+01:00",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t v = 7;
        ck_assert_msg(siem_time_parse_ms(bad[i], &v) == -1, "accepted %s", bad[i]);
        ck_assert_msg(siem_time_parse_ns(bad[i], &v) == -1, "accepted %s as ns", bad[i]);
        ck_assert_int_eq(v, 7);
    }
    int64_t v;
    ck_assert_int_eq(siem_time_parse_ms(NULL, &v), -1);
    ck_assert_int_eq(siem_time_parse_ms(NULL, NULL), -1);
    ck_assert_int_eq(siem_time_parse_ns(NULL, &v), -1);
}
END_TEST

START_TEST(format)
{
    char t[SIEM_TIME_LEN];
    ck_assert_int_eq(siem_time_format_ns(0, t), 0);
    ck_assert_str_eq(t, "1970-01-01T00:00:00.000Z");
    ck_assert_int_eq(siem_time_format_ns(1796097347123456789LL, t), 0);
    ck_assert_str_eq(t, "2026-12-01T03:55:47.123Z");
    ck_assert_int_eq(siem_time_format_ns(951782400LL * SEC + 999999999, t), 0);
    ck_assert_str_eq(t, "2000-02-29T00:00:00.999Z");
    ck_assert_int_eq((int)strlen(t), SIEM_TIME_LEN - 1);
    ck_assert_int_eq(siem_time_format_ms(DEC1_MS + 14147123, t), 0);
    ck_assert_str_eq(t, "2026-12-01T03:55:47.123Z");
    ck_assert_int_eq(siem_time_format_ms(0, t), 0);
    ck_assert_str_eq(t, "1970-01-01T00:00:00.000Z");
    ck_assert_int_eq(siem_time_format_ms(951782400000LL, t), 0);
    ck_assert_str_eq(t, "2000-02-29T00:00:00.000Z");
    ck_assert_int_eq(siem_time_format_ms(1704067199999LL, t), 0);
    ck_assert_str_eq(t, "2023-12-31T23:59:59.999Z");
    ck_assert_int_eq(siem_time_format_ms(253402300799999LL, t), 0);
    ck_assert_str_eq(t, "9999-12-31T23:59:59.999Z");
    /* Before 1970 it still rounds down (though no parser here reads it). */
    ck_assert_int_eq(siem_time_format_ns(-1, t), 0);
    ck_assert_str_eq(t, "1969-12-31T23:59:59.999Z");
    ck_assert_int_eq(siem_time_format_ms(-1, t), 0);
    ck_assert_str_eq(t, "1969-12-31T23:59:59.999Z");
    /* Outside the years 0000..9999 the format has no text. */
    ck_assert_int_eq(siem_time_format_ms(253402300800000LL, t), -1);
    ck_assert_str_eq(t, "");
    ck_assert_int_eq(siem_time_format_ms(-62167219200001LL, t), -1);
    ck_assert_str_eq(t, "");
    ck_assert_int_eq(siem_time_format_ms(INT64_MIN, t), -1);
    ck_assert_int_eq(siem_time_format_ns(INT64_MAX, t), 0);
    ck_assert_str_eq(t, "2262-04-11T23:47:16.854Z");
}
END_TEST

START_TEST(format_round_trip)
{
    char t[SIEM_TIME_LEN];
    /* Every day boundary of several years, and odd milliseconds. */
    for (int64_t m = 946684800000LL; m < 1100000000000LL; m += 86400000LL * 7 + 3601001) {
        int64_t back = -1;
        ck_assert_int_eq(siem_time_format_ms(m, t), 0);
        ck_assert_int_eq(siem_time_parse_ms(t, &back), 0);
        ck_assert_int_eq(back, m);
        ck_assert_int_eq(siem_time_format_ns(m * 1000000 + 999999, t), 0);
        ck_assert_int_eq(siem_time_parse_ns(t, &back), 0);
        ck_assert_int_eq(back, m * 1000000);
    }
}
END_TEST

Suite *time_suite(void)
{
    Suite *s = suite_create("siem-time");
    TCase *tc = tcase_create("time");
    tcase_add_test(tc, civil_round_trip);
    tcase_add_test(tc, known_instants);
    tcase_add_test(tc, offsets_and_fractions);
    tcase_add_test(tc, nanoseconds);
    tcase_add_test(tc, bounded_scan);
    tcase_add_test(tc, rejected);
    tcase_add_test(tc, format);
    tcase_add_test(tc, format_round_trip);
    suite_add_tcase(s, tc);
    return s;
}
