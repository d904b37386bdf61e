/* Runs the unit suites of the syslog normaliser's pure logic
 * (apps/siem/normaliser). */
#include <check.h>
#include <stdlib.h>

Suite *syslog_suite(void);
Suite *recognise_suite(void);
Suite *normalise_suite(void);
Suite *framing_suite(void);
Suite *relp_suite(void);
Suite *robust_suite(void);
Suite *quota_suite(void);
Suite *conns_suite(void);
Suite *decoders_suite(void);
Suite *evdoc_suite(void);

int main(void)
{
    SRunner *sr = srunner_create(syslog_suite());
    srunner_add_suite(sr, recognise_suite());
    srunner_add_suite(sr, normalise_suite());
    srunner_add_suite(sr, framing_suite());
    srunner_add_suite(sr, relp_suite());
    srunner_add_suite(sr, robust_suite());
    srunner_add_suite(sr, quota_suite());
    srunner_add_suite(sr, conns_suite());
    srunner_add_suite(sr, decoders_suite());
    srunner_add_suite(sr, evdoc_suite());
    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
