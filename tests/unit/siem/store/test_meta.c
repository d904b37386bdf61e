/* A record's id key and time (apps/siem/store/meta.c). */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "meta.h"

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
    /* Other id text: FNV-1a 64 from two bases, each little-endian (the
     * on-disk key; computed independently in Python). */
    static const uint8_t fnv_key[16] = {0xff, 0x8d, 0x81, 0xfb, 0xdb, 0x5f, 0xc3, 0x0a,
                                        0xde, 0x73, 0x51, 0xe0, 0x52, 0x34, 0x50, 0x6d};
    ck_assert_int_eq(memcmp(k1, fnv_key, 16), 0);
    ck_assert_int_eq(store_id_key("abcdef0123456789abcdef0123456789", 32, k1), 0);
    ck_assert_int_eq(store_id_key("ABCDEF0123456789ABCDEF0123456789", 32, k2), 0);
    ck_assert_int_eq(memcmp(k1, k2, 16), 0);
    ck_assert_int_eq(store_id_key("", 0, k1), -1);
}
END_TEST

START_TEST(meta_skim_with_header_id)
{
    /* The same answers as the parse, without one, for what the modules
     * publish. */
    const char *ev = "{\"@timestamp\":\"2026-01-01T00:00:01Z\",\"tags\":[\"a}\",{\"b\":[1,2]}],"
                     "\"x\":{\"event\":{\"created\":\"2030-01-01T00:00:00Z\"}},\"n\":-1.5e3,"
                     "\"ok\":true,\"s\":\"q\\\"}\",\"event\":{\"id\":\"e1\",\"created\":"
                     "\"2026-01-01T00:00:02Z\"}} \n";
    struct store_meta m, p;
    ck_assert_int_eq(store_meta_skim(ev, strlen(ev), "e1", &m), 0);
    ck_assert_int_eq(store_meta_parse(ev, strlen(ev), 0, &p), 0);
    ck_assert_int_eq(m.time_ms, 1767225602000LL); /* event.created, the top-level one */
    ck_assert_int_eq(m.time_ms, p.time_ms);
    ck_assert_int_eq(m.has_id, 1);
    ck_assert_int_eq(memcmp(m.key, p.key, 16), 0);
    /* A flat dotted name counts, as for siem_field; else @timestamp. */
    const char *flat = "{\"event.created\":\"2026-01-01T00:00:03Z\"}";
    ck_assert_int_eq(store_meta_skim(flat, strlen(flat), "x", &m), 0);
    ck_assert_int_eq(m.time_ms, 1767225603000LL);
    const char *ts = "{\"event\":{\"kind\":\"alert\"},\"@timestamp\":\"2026-01-01T00:00:01Z\"}";
    ck_assert_int_eq(store_meta_skim(ts, strlen(ts), "x", &m), 0);
    ck_assert_int_eq(m.time_ms, 1767225601000LL);
    ck_assert_int_eq(store_meta_skim("{}", 2, "x", &m), 0);
    ck_assert_int_eq(m.time_ms, STORE_TIME_NONE);
    /* Not an object: refused by its first and last byte. */
    ck_assert_int_eq(store_meta_skim("[1]", 3, "x", &m), -EINVAL);
    ck_assert_int_eq(store_meta_skim("hello", 5, "x", &m), -EINVAL);
    ck_assert_int_eq(store_meta_skim("{\"a\":", 5, "x", &m), -EINVAL);
    ck_assert_int_eq(store_meta_skim("", 0, "x", &m), -EINVAL);
    /* A cut-off or strange object gives no time rather than a wrong one. */
    const char *cut = "{\"event\":{\"created\":\"2026-01-01T00:00:02Z}";
    ck_assert_int_eq(store_meta_skim(cut, strlen(cut), "x", &m), 0);
    ck_assert_int_eq(m.time_ms, STORE_TIME_NONE);
}
END_TEST

Suite *meta_suite(void)
{
    Suite *s = suite_create("siem-store-meta");
    TCase *tc = tcase_create("meta");
    tcase_add_test(tc, meta_event);
    tcase_add_test(tc, meta_alert_and_keys);
    tcase_add_test(tc, meta_skim_with_header_id);
    suite_add_tcase(s, tc);
    return s;
}
