/* The host unit-test suites, one per module, for the runner in main.c. */
#ifndef TESTS_UNIT_SUITES_H
#define TESTS_UNIT_SUITES_H

#include <check.h>

/* test_cmdline.c */
Suite *cmdline_suite(void);
/* test_boot_info.c */
Suite *boot_info_suite(void);
/* test_pages.c */
Suite *pages_suite(void);
/* test_timerq.c */
Suite *timerq_suite(void);
/* test_virtq.c */
Suite *virtq_suite(void);
/* test_virtio_pci_cap.c */
Suite *virtio_pci_cap_suite(void);
/* test_lwip_port.c */
Suite *lwip_port_suite(void);
/* test_inet.c */
Suite *inet_suite(void);
/* test_netdb.c */
Suite *netdb_suite(void);
/* test_sockopt.c */
Suite *sockopt_suite(void);
/* test_sockaddr.c */
Suite *sockaddr_suite(void);
/* test_pipebuf.c */
Suite *pipebuf_suite(void);
/* test_realloc.c */
Suite *realloc_suite(void);
/* test_hwrng.c */
Suite *hwrng_suite(void);

#endif
