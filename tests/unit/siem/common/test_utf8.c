/* UTF-8 repair for JSON strings (apps/siem/common/utf8.c). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

#define FFFD "\xEF\xBF\xBD"

static void check_dup(const char *in, size_t len, const char *want)
{
    char *s = siem_utf8_dup(in, len);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, want);
    free(s);
}

START_TEST(valid_unchanged)
{
    check_dup("plain", 5, "plain");
    check_dup("", 0, "");
    check_dup("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x91", 14,
              "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\x91");
    check_dup("\xEF\xBF\xBF\xF4\x8F\xBF\xBF", 7, "\xEF\xBF\xBF\xF4\x8F\xBF\xBF");
}
END_TEST

START_TEST(invalid_replaced)
{
    check_dup("a\xFF"
              "b",
              3, "a" FFFD "b");
    check_dup("\xC0\xAF", 2, FFFD FFFD);                   /* overlong '/' */
    check_dup("\xE0\x80\xAF", 3, FFFD FFFD FFFD);          /* overlong */
    check_dup("\xED\xA0\x80", 3, FFFD FFFD FFFD);          /* a surrogate */
    check_dup("\xF4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD); /* above U+10FFFF */
    check_dup("x\xE2\x82", 3, "x" FFFD FFFD);              /* cut short */
    check_dup("a\0b", 3, "a" FFFD "b");                    /* NUL */
    check_dup("\x80", 1, FFFD);
    ck_assert_uint_eq(siem_utf8_seq((const unsigned char *)"\xE2\x82\xAC", 2), 0);
    ck_assert_uint_eq(siem_utf8_seq((const unsigned char *)"\xE2\x82\xAC", 3), 3);
}
END_TEST

Suite *utf8_suite(void)
{
    Suite *s = suite_create("siem-utf8");
    TCase *tc = tcase_create("utf8");
    tcase_add_test(tc, valid_unchanged);
    tcase_add_test(tc, invalid_replaced);
    suite_add_tcase(s, tc);
    return s;
}
