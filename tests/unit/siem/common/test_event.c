/* Calendar arithmetic, time stamps, event ids and subjects
 * (apps/siem/common/{civil,event}.c). */
#include <check.h>
#include <string.h>

#include "civil.h"
#include "event.h"

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

START_TEST(time_format)
{
    char t[SIEM_TIME_LEN];
    ck_assert_int_eq(siem_time_format(0, t), 0);
    ck_assert_str_eq(t, "1970-01-01T00:00:00.000Z");
    ck_assert_int_eq(siem_time_format(1796097347123456789LL, t), 0);
    ck_assert_str_eq(t, "2026-12-01T03:55:47.123Z");
    ck_assert_int_eq(siem_time_format(-1, t), 0);
    ck_assert_str_eq(t, "1969-12-31T23:59:59.999Z");
    ck_assert_int_eq(siem_time_format(951782400LL * 1000000000LL + 999999999, t), 0);
    ck_assert_str_eq(t, "2000-02-29T00:00:00.999Z");
    ck_assert_int_eq((int)strlen(t), SIEM_TIME_LEN - 1);
}
END_TEST

/* The expected ids were computed independently (Python hashlib) from the
 * byte layout documented in event.h and docs/siem.md. */
START_TEST(event_id_layout)
{
    const char *raw = "<13>1 2026-12-01T03:59:46.517958+00:00 vm root - - - hello";
    char id[SIEM_EVENT_ID_LEN];
    siem_event_id("udp", "192.0.2.7", 51514, 1796097586517958000LL, raw, strlen(raw), id);
    ck_assert_str_eq(id, "ca119a9616a1aa35a0198fb80503a2c1");
    siem_event_id("relp", "192.0.2.7", 0, 0, raw, strlen(raw), id);
    ck_assert_str_eq(id, "33576d41d3ebba8049b4072203242154");
}
END_TEST

START_TEST(event_id_inputs)
{
    const char *raw = "<13>hello";
    char a[SIEM_EVENT_ID_LEN], b[SIEM_EVENT_ID_LEN];
    /* RELP: port and time do not matter (a retransmission keeps its id). */
    siem_event_id("relp", "10.0.0.1", 40000, 1, raw, 9, a);
    siem_event_id("relp", "10.0.0.1", 40001, 2, raw, 9, b);
    ck_assert_str_eq(a, b);
    /* UDP and TCP: they do. */
    siem_event_id("udp", "10.0.0.1", 40000, 1, raw, 9, a);
    siem_event_id("udp", "10.0.0.1", 40001, 1, raw, 9, b);
    ck_assert_str_ne(a, b);
    siem_event_id("tcp", "10.0.0.1", 40000, 1, raw, 9, a);
    siem_event_id("tcp", "10.0.0.1", 40000, 2, raw, 9, b);
    ck_assert_str_ne(a, b);
    siem_event_id("tcp", "10.0.0.1", 40000, 1, raw, 9, b);
    ck_assert_str_eq(a, b);
    /* Transport, address and every raw byte count. */
    siem_event_id("udp", "10.0.0.1", 40000, 1, raw, 9, b);
    ck_assert_str_ne(a, b);
    siem_event_id("tcp", "10.0.0.2", 40000, 1, raw, 9, b);
    ck_assert_str_ne(a, b);
    siem_event_id("tcp", "10.0.0.1", 40000, 1, raw, 8, b);
    ck_assert_str_ne(a, b);
    ck_assert_int_eq((int)strlen(a), 32);
    ck_assert_int_eq((int)strspn(a, "0123456789abcdef"), 32);
}
END_TEST

START_TEST(subjects)
{
    char s[SIEM_SUBJECT_LEN];
    ck_assert_int_eq(siem_event_subject(0, "authentication", s, sizeof(s)), 26);
    ck_assert_str_eq(s, "siem.events.authentication");
    ck_assert_int_gt(siem_event_subject(0, NULL, s, sizeof(s)), 0);
    ck_assert_str_eq(s, "siem.events.generic");
    ck_assert_int_gt(siem_event_subject(0, "", s, sizeof(s)), 0);
    ck_assert_str_eq(s, "siem.events.generic");
    ck_assert_int_gt(siem_event_subject(1, "process", s, sizeof(s)), 0);
    ck_assert_str_eq(s, "siem.events.error");
    ck_assert_int_eq(siem_event_subject(0, "a.b", s, sizeof(s)), -1);
    ck_assert_int_eq(siem_event_subject(0, "*", s, sizeof(s)), -1);
    ck_assert_int_eq(siem_event_subject(0, "session", s, 12), -1);
}
END_TEST

Suite *event_suite(void)
{
    Suite *s = suite_create("siem-event");
    TCase *tc = tcase_create("event");
    tcase_add_test(tc, civil_round_trip);
    tcase_add_test(tc, time_format);
    tcase_add_test(tc, event_id_layout);
    tcase_add_test(tc, event_id_inputs);
    tcase_add_test(tc, subjects);
    suite_add_tcase(s, tc);
    return s;
}
