/* Alert ids (alert_id.c): SHA-256 over a documented layout. */
#include <check.h>
#include <string.h>

#include "alert_id.h"

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
    /* The layout in alert_id.h; the expected ids were computed independently
     * (Python hashlib: sha256(b"rule\0group\0trigger").hexdigest()[:32]). */
    ck_assert_str_eq(a, "c84e5d6ffb073c8ea1af14dbcfd0f619");
    corr_alert_id("ssh_brute_force", "", "00112233445566778899aabbccddeeff", c);
    ck_assert_str_eq(c, "364c7fb64ff42d4eda80fcdf2fbde1c3");
}
END_TEST

Suite *corr_alert_id_suite(void)
{
    Suite *s = suite_create("siem-corr-alert-id");
    TCase *tc = tcase_create("alert_id");
    tcase_add_test(tc, alert_ids);
    suite_add_tcase(s, tc);
    return s;
}
