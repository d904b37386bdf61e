/* Runs the unit suites of the SIEM modules' shared code (apps/siem/common). */
#include <check.h>
#include <stdlib.h>

Suite *field_suite(void);
Suite *event_suite(void);
Suite *time_suite(void);
Suite *fnv1a_suite(void);
Suite *id_suite(void);
Suite *utf8_suite(void);
Suite *bus_wire_suite(void);
Suite *nkey_suite(void);
Suite *bus_suite(void);
Suite *pull_suite(void);
Suite *bus_out_suite(void);
Suite *bus_pending_suite(void);
Suite *args_suite(void);
Suite *puback_suite(void);
Suite *jsonw_suite(void);

int main(void)
{
    SRunner *sr = srunner_create(field_suite());
    srunner_add_suite(sr, event_suite());
    srunner_add_suite(sr, time_suite());
    srunner_add_suite(sr, fnv1a_suite());
    srunner_add_suite(sr, id_suite());
    srunner_add_suite(sr, utf8_suite());
    srunner_add_suite(sr, bus_wire_suite());
    srunner_add_suite(sr, nkey_suite());
    srunner_add_suite(sr, bus_suite());
    srunner_add_suite(sr, pull_suite());
    srunner_add_suite(sr, bus_out_suite());
    srunner_add_suite(sr, bus_pending_suite());
    srunner_add_suite(sr, args_suite());
    srunner_add_suite(sr, puback_suite());
    srunner_add_suite(sr, jsonw_suite());
    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
