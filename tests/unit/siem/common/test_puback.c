/* The PubAck scanner (apps/siem/common/puback.c). */
#include <check.h>
#include <string.h>

#include "puback.h"

static enum js_puback scan(const char *text, uint64_t *seq, int *dup)
{
    return js_puback_scan(text, strlen(text), seq, dup);
}

START_TEST(stored)
{
    uint64_t seq = 0;
    int dup = -1;
    ck_assert_int_eq(scan("{\"stream\":\"EVENTS\",\"seq\":4711}", &seq, &dup), JS_PUBACK_STORED);
    ck_assert_uint_eq(seq, 4711);
    ck_assert_int_eq(dup, 0);
    /* Spaces, a domain, members in another order, the largest sequence. */
    ck_assert_int_eq(scan(" { \"seq\" : 18446744073709551615 , \"domain\":\"hub\",\r\n"
                          "\"stream\" : \"EVENTS\" } ",
                          &seq, &dup),
                     JS_PUBACK_STORED);
    ck_assert_uint_eq(seq, UINT64_MAX);
    ck_assert_int_eq(dup, 0);
    ck_assert_int_eq(scan("{\"stream\":\"ALERTS\",\"seq\":0,\"duplicate\":false}", &seq, &dup),
                     JS_PUBACK_STORED);
    ck_assert_uint_eq(seq, 0);
    /* NULL outputs are allowed. */
    ck_assert_int_eq(scan("{\"stream\":\"EVENTS\",\"seq\":1}", NULL, NULL), JS_PUBACK_STORED);
}
END_TEST

START_TEST(duplicate)
{
    uint64_t seq = 0;
    int dup = 0;
    ck_assert_int_eq(scan("{\"stream\":\"EVENTS\",\"seq\":12,\"duplicate\":true}", &seq, &dup),
                     JS_PUBACK_STORED);
    ck_assert_uint_eq(seq, 12);
    ck_assert_int_eq(dup, 1);
    /* Members a later server may add are skipped, whatever their kind. */
    ck_assert_int_eq(scan("{\"duplicate\":true,\"x\":[1,-2.5e3,{\"y\":null},\"q\\\"}\"],"
                          "\"stream\":\"EVENTS\",\"seq\":3,\"z\":{}}",
                          &seq, &dup),
                     JS_PUBACK_STORED);
    ck_assert_uint_eq(seq, 3);
    ck_assert_int_eq(dup, 1);
}
END_TEST

START_TEST(error)
{
    uint64_t seq = 99;
    int dup = 7;
    ck_assert_int_eq(scan("{\"error\":{\"code\":503,\"err_code\":10077,\"description\":"
                          "\"maximum messages exceeded\"}}",
                          &seq, &dup),
                     JS_PUBACK_ERROR);
    ck_assert_int_eq(scan("{\"stream\":\"EVENTS\",\"seq\":5,\"error\":{\"code\":400}}", &seq, &dup),
                     JS_PUBACK_ERROR);
    /* The outputs are left alone unless the message was stored. */
    ck_assert_uint_eq(seq, 99);
    ck_assert_int_eq(dup, 7);
}
END_TEST

START_TEST(not_a_puback)
{
    static const char *bad[] = {
        "",
        "null",
        "[]",
        "{}",
        "{\"stream\":\"EVENTS\"}",                              /* no seq */
        "{\"seq\":1}",                                          /* no stream */
        "{\"stream\":\"\",\"seq\":1}",                          /* an empty stream name */
        "{\"stream\":\"EVENTS\",\"seq\":1",                     /* cut short */
        "{\"stream\":\"EVENTS\",\"seq\":",                      /* cut short */
        "{\"stream\":\"EVEN",                                   /* cut short */
        "{\"stream\":\"EVENTS\",\"seq\":1}}",                   /* trailing garbage */
        "{\"stream\":\"EVENTS\",\"seq\":1} x",                  /* trailing garbage */
        "{\"stream\":\"EVENTS\",\"seq\":-1}",                   /* not an unsigned integer */
        "{\"stream\":\"EVENTS\",\"seq\":1.5}",                  /* nor a fraction */
        "{\"stream\":\"EVENTS\",\"seq\":1e3}",                  /* nor an exponent */
        "{\"stream\":\"EVENTS\",\"seq\":01}",                   /* a leading zero */
        "{\"stream\":\"EVENTS\",\"seq\":\"1\"}",                /* a string */
        "{\"stream\":\"EVENTS\",\"seq\":18446744073709551616}", /* too large */
        "{\"stream\":\"EVENTS\",\"seq\":1,\"duplicate\":1}",    /* not a boolean */
        "{\"stream\":\"EVENTS\",\"seq\":1,}",                   /* a trailing comma */
        "{\"stream\":\"EVENTS\" \"seq\":1}",                    /* a missing comma */
        "{stream:\"EVENTS\",\"seq\":1}",                        /* a bare name */
        "{\"stream\":\"EV\nENTS\",\"seq\":1}",                  /* a control character */
        "{\"stream\":\"EVENTS\",\"seq\":1,\"x\":tru}",          /* a bad literal */
        "{\"stream\":\"EVENTS\",\"seq\":1,\"x\":[[[[[[[[[[]]]]]]]]]]}", /* too deep */
        "{\"error\":{\"code\":503}",                                    /* an error cut short */
        "\xff\xfe garbage",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        uint64_t seq = 42;
        ck_assert_msg(scan(bad[i], &seq, NULL) == JS_PUBACK_BAD, "accepted: %s", bad[i]);
        ck_assert_uint_eq(seq, 42);
    }
    /* Only len bytes count: a PubAck cut at the buffer's end is refused. */
    const char *whole = "{\"stream\":\"EVENTS\",\"seq\":12345}";
    for (size_t n = 0; n < strlen(whole); n++)
        ck_assert_int_eq(js_puback_scan(whole, n, NULL, NULL), JS_PUBACK_BAD);
    ck_assert_int_eq(js_puback_scan(NULL, 0, NULL, NULL), JS_PUBACK_BAD);
}
END_TEST

Suite *puback_suite(void)
{
    Suite *s = suite_create("puback");
    TCase *tc = tcase_create("scan");
    tcase_add_test(tc, stored);
    tcase_add_test(tc, duplicate);
    tcase_add_test(tc, error);
    tcase_add_test(tc, not_a_puback);
    suite_add_tcase(s, tc);
    return s;
}
