/* Runs the unit suites of the SIEM correlator (apps/siem/correlator). */
#include <check.h>
#include <stdlib.h>

Suite *corr_rules_suite(void);
Suite *corr_alert_id_suite(void);
Suite *corr_engine_suite(void);
Suite *corr_groups_suite(void);
Suite *corr_restart_suite(void);
Suite *corr_skew_suite(void);

int main(void)
{
    SRunner *sr = srunner_create(corr_rules_suite());
    srunner_add_suite(sr, corr_alert_id_suite());
    srunner_add_suite(sr, corr_engine_suite());
    srunner_add_suite(sr, corr_groups_suite());
    srunner_add_suite(sr, corr_restart_suite());
    srunner_add_suite(sr, corr_skew_suite());
    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
