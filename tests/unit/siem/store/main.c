/* Runs the unit suites of the SIEM event store (apps/siem/store). */
#include <check.h>
#include <stdlib.h>

Suite *crc32c_suite(void);
Suite *meta_suite(void);
Suite *log_suite(void);
Suite *recover_suite(void);
Suite *retention_suite(void);
Suite *query_suite(void);
Suite *chain_suite(void);

int main(void)
{
    SRunner *sr = srunner_create(crc32c_suite());
    srunner_add_suite(sr, meta_suite());
    srunner_add_suite(sr, log_suite());
    srunner_add_suite(sr, recover_suite());
    srunner_add_suite(sr, retention_suite());
    srunner_add_suite(sr, query_suite());
    srunner_add_suite(sr, chain_suite());
    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
