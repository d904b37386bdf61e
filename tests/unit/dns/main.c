/* Runs the DNS server's host unit-test suites in one Check runner (a second
 * test binary beside tests/unit/main.c's, built by tests/unit/run.sh). */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    SRunner *sr = srunner_create(wire_suite());
    srunner_add_suite(sr, zone_suite());
    srunner_add_suite(sr, answer_suite());
    srunner_set_fork_status(sr, CK_FORK); /* a crash fails one test, not the run */
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
