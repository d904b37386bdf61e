/* The JSON writer (apps/siem/common/jsonw.c): escaping as cJSON prints,
 * UTF-8 repaired as siem_utf8_dup does. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "jsonw.h"
#include "utf8.h"

#define FFFD "\xEF\xBF\xBD"

/* jw_string of in[0..len) must give want. */
static void check_string(const char *in, size_t len, const char *want)
{
    struct jsonw w;
    jw_init(&w, 0);
    jw_string(&w, in, len);
    size_t n = 0;
    char *s = jw_finish(&w, &n);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, want);
    ck_assert_uint_eq(n, strlen(want));
    free(s);
}

START_TEST(escapes)
{
    check_string("plain", 5, "\"plain\"");
    check_string("", 0, "\"\"");
    check_string("say \"hi\"", 8, "\"say \\\"hi\\\"\"");
    check_string("C:\\dir\\", 7, "\"C:\\\\dir\\\\\"");
    check_string("\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"");
    check_string("\x01\x1f\x1b", 3, "\"\\u0001\\u001f\\u001b\"");
    /* As cJSON: DEL and the slash stay as they are. */
    check_string("a/b\x7f", 4, "\"a/b\x7f\"");
}
END_TEST

START_TEST(utf8_repaired)
{
    check_string("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x91", 14,
                 "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x91\"");
    check_string("a\xFF"
                 "b",
                 3, "\"a" FFFD "b\"");
    check_string("\xC0\xAF", 2, "\"" FFFD FFFD "\"");          /* overlong */
    check_string("\xED\xA0\x80", 3, "\"" FFFD FFFD FFFD "\""); /* a surrogate */
    check_string("x\xE2\x82", 3, "\"x" FFFD FFFD "\"");        /* cut short */
    check_string("a\0b", 3, "\"a" FFFD "b\"");                 /* NUL */
    check_string("\"\x80\n", 3, "\"\\\"" FFFD "\\n\"");        /* mixed */
}
END_TEST

/* Any bytes at all: the same text as cJSON prints for the repaired copy. */
START_TEST(same_as_cjson)
{
    srand(7);
    for (int round = 0; round < 2000; round++) {
        char in[64];
        size_t len = (size_t)(rand() % (int)sizeof(in));
        for (size_t i = 0; i < len; i++)
            in[i] = (char)(round % 2 ? rand() % 256
                                     : " \"\\\x01\x7f\xc3\xa9\xe2\x82\xac\xff"[rand() % 12]);
        char *fixed = siem_utf8_dup(in, len);
        cJSON *item = cJSON_CreateString(fixed);
        char *want = cJSON_PrintUnformatted(item);
        check_string(in, len, want);
        free(want);
        cJSON_Delete(item);
        free(fixed);
    }
}
END_TEST

START_TEST(numbers_and_raw)
{
    struct jsonw w;
    jw_init(&w, 4);
    jw_raw(&w, "[", 1);
    jw_int(&w, 0);
    jw_raw(&w, ",", 1);
    jw_int(&w, 65535);
    jw_raw(&w, ",", 1);
    jw_int(&w, -42);
    jw_raw(&w, ",", 1);
    jw_int(&w, 999999999);
    jw_raw(&w, ",", 1);
    jw_int(&w, -9223372036854775807LL - 1);
    jw_raw(&w, "]", 1);
    char *s = jw_finish(&w, NULL);
    ck_assert_str_eq(s, "[0,65535,-42,999999999,-9223372036854775808]");
    free(s);
    /* Growth from a small start keeps every byte. */
    jw_init(&w, 1);
    for (int i = 0; i < 1000; i++)
        jw_string(&w, "0123456789", 10);
    size_t n;
    s = jw_finish(&w, &n);
    ck_assert_uint_eq(n, 12000);
    ck_assert_int_eq(memcmp(s + 11988, "\"0123456789\"", 12), 0);
    free(s);
}
END_TEST

Suite *jsonw_suite(void)
{
    Suite *s = suite_create("jsonw");
    TCase *tc = tcase_create("write");
    tcase_add_test(tc, escapes);
    tcase_add_test(tc, utf8_repaired);
    tcase_add_test(tc, same_as_cjson);
    tcase_add_test(tc, numbers_and_raw);
    suite_add_tcase(s, tc);
    return s;
}
