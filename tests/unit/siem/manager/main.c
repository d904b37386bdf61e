/* Runs the unit suites of the SIEM manager (apps/siem/manager). */
#include <check.h>
#include <stdlib.h>

Suite *mgr_params_suite(void);
Suite *mgr_modules_suite(void);

int main(void)
{
    SRunner *sr = srunner_create(mgr_params_suite());
    srunner_add_suite(sr, mgr_modules_suite());
    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
