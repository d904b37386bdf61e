/* Event ids and subjects (apps/siem/common/event.c). */
#include <check.h>
#include <string.h>

#include "event.h"

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
    tcase_add_test(tc, event_id_layout);
    tcase_add_test(tc, event_id_inputs);
    tcase_add_test(tc, subjects);
    suite_add_tcase(s, tc);
    return s;
}
