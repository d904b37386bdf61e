/* RFC 3339 parsing and id/time extraction (apps/siem/store/rfc3339.c,
 * meta.c). */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "meta.h"
#include "rfc3339.h"

static int64_t ms(const char *s)
{
    int64_t v = 0;
    ck_assert_msg(rfc3339_parse_ms(s, &v) == 0, "rejected %s", s);
    return v;
}

START_TEST(known_instants)
{
    ck_assert_int_eq(ms("1970-01-01T00:00:00Z"), 0);
    ck_assert_int_eq(ms("2026-01-01T00:00:00.000Z"), 1767225600000LL);
    ck_assert_int_eq(ms("2000-02-29T12:34:56.789Z"), 951827696789LL);
    ck_assert_int_eq(ms("1969-12-31T23:59:59Z"), -1000);
    ck_assert_int_eq(ms("2024-12-31T23:59:59Z"), 1735689599000LL);
    ck_assert_int_eq(ms("2100-03-01T00:00:00Z"), 4107542400000LL);
    ck_assert_int_eq(ms("0000-01-01T00:00:00Z"), -62167219200000LL);
}
END_TEST

START_TEST(offsets_and_fractions)
{
    ck_assert_int_eq(ms("2026-01-01T02:00:00+02:00"), ms("2026-01-01T00:00:00Z"));
    ck_assert_int_eq(ms("2025-12-31T19:30:00-04:30"), ms("2026-01-01T00:00:00Z"));
    ck_assert_int_eq(ms("2026-01-01t00:00:00.5z"), ms("2026-01-01T00:00:00Z") + 500);
    ck_assert_int_eq(ms("2026-01-01 00:00:00.123456789Z"), ms("2026-01-01T00:00:00Z") + 123);
    ck_assert_int_eq(ms("2016-12-31T23:59:60Z"), ms("2017-01-01T00:00:00Z"));
}
END_TEST

START_TEST(rejected)
{
    const char *bad[] = {"",
                         "2026-01-01",
                         "2026-01-01T00:00:00",
                         "2026-13-01T00:00:00Z",
                         "2026-02-29T00:00:00Z",
                         "2026-01-01T24:00:00Z",
                         "2026-01-01T00:00:00.Z",
                         "2026-01-01T00:00:00Zjunk",
                         "2026-1-01T00:00:00Z",
                         "2026-01-01T00:00:00+0200",
                         "10m"};
    int64_t v;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(rfc3339_parse_ms(bad[i], &v) == -1, "accepted %s", bad[i]);
    ck_assert_int_eq(rfc3339_parse_ms(NULL, &v), -1);
}
END_TEST

START_TEST(meta_event)
{
    const char *ev = "{\"@timestamp\":\"2026-01-01T00:00:01Z\",\"event\":{\"id\":"
                     "\"00112233445566778899AABBCCDDEEFF\",\"created\":\"2026-01-01T00:00:02Z\"}}";
    struct store_meta m;
    ck_assert_int_eq(store_meta_parse(ev, strlen(ev), 0, &m), 0);
    ck_assert_int_eq(m.has_id, 1);
    ck_assert_uint_eq(m.key[0], 0x00);
    ck_assert_uint_eq(m.key[15], 0xFF);
    ck_assert_int_eq(m.time_ms, 1767225602000LL); /* event.created wins */
    const char *ts = "{\"@timestamp\":\"2026-01-01T00:00:01Z\"}";
    ck_assert_int_eq(store_meta_parse(ts, strlen(ts), 0, &m), 0);
    ck_assert_int_eq(m.has_id, 0);
    ck_assert_int_eq(m.time_ms, 1767225601000LL);
    ck_assert_int_eq(store_meta_parse("{}", 2, 0, &m), 0);
    ck_assert_int_eq(m.time_ms, STORE_TIME_NONE);
    ck_assert_int_eq(store_meta_parse("[1]", 3, 0, &m), -EINVAL);
    ck_assert_int_eq(store_meta_parse("{\"a\":", 5, 0, &m), -EINVAL);
    /* Only len bytes count: the text after them is not part of it. */
    ck_assert_int_eq(store_meta_parse("{}garbage", 2, 0, &m), 0);
    ck_assert_int_eq(store_meta_parse("{} \n", 4, 0, &m), 0);
    ck_assert_int_eq(store_meta_parse("{} {}", 5, 0, &m), -EINVAL);
    ck_assert_int_eq(store_meta_parse("{}\0", 3, 0, &m), -EINVAL);
}
END_TEST

START_TEST(meta_alert_and_keys)
{
    const char *al = "{\"alert\":{\"id\":\"rule-7/host-1/42\"},\"event\":{\"id\":\"x\"}}";
    struct store_meta m;
    uint8_t k1[16], k2[16];
    ck_assert_int_eq(store_meta_parse(al, strlen(al), 1, &m), 0);
    ck_assert_int_eq(m.has_id, 1);
    ck_assert_int_eq(store_id_key("rule-7/host-1/42", 16, k1), 0);
    ck_assert_int_eq(memcmp(m.key, k1, 16), 0);
    /* As an event the same text is keyed by event.id. */
    ck_assert_int_eq(store_meta_parse(al, strlen(al), 0, &m), 0);
    ck_assert_int_eq(store_id_key("x", 1, k2), 0);
    ck_assert_int_eq(memcmp(m.key, k2, 16), 0);
    ck_assert_int_ne(memcmp(k1, k2, 16), 0);
    ck_assert_int_eq(store_id_key("abcdef0123456789abcdef0123456789", 32, k1), 0);
    ck_assert_int_eq(store_id_key("ABCDEF0123456789ABCDEF0123456789", 32, k2), 0);
    ck_assert_int_eq(memcmp(k1, k2, 16), 0);
    ck_assert_int_eq(store_id_key("", 0, k1), -1);
}
END_TEST

Suite *time_suite(void)
{
    Suite *s = suite_create("siem-store-time");
    TCase *tc = tcase_create("time");
    tcase_add_test(tc, known_instants);
    tcase_add_test(tc, offsets_and_fractions);
    tcase_add_test(tc, rejected);
    tcase_add_test(tc, meta_event);
    tcase_add_test(tc, meta_alert_and_keys);
    suite_add_tcase(s, tc);
    return s;
}
