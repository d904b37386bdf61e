/* Runs every host unit-test suite in one Check runner and exits non-zero if
 * any test failed. */
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    SRunner *sr = srunner_create(cmdline_suite());
    srunner_add_suite(sr, boot_info_suite());
    srunner_add_suite(sr, pages_suite());
    srunner_add_suite(sr, timerq_suite());
    srunner_add_suite(sr, virtq_suite());
    srunner_add_suite(sr, virtio_pci_cap_suite());
    srunner_add_suite(sr, lwip_port_suite());
    srunner_add_suite(sr, inet_suite());
    srunner_add_suite(sr, netdb_suite());
    srunner_add_suite(sr, sockopt_suite());
    srunner_add_suite(sr, sockaddr_suite());
    srunner_add_suite(sr, pipebuf_suite());
    srunner_add_suite(sr, realloc_suite());
    srunner_add_suite(sr, hwrng_suite());
    srunner_set_fork_status(sr, CK_FORK); /* a crash fails one test, not the run */
    srunner_run_all(sr, CK_ENV);          /* CK_VERBOSITY chooses the detail */
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
