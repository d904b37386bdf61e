/* The DNS server's host unit-test suites (apps/dns/), for the runner in
 * main.c, and the helpers they share (helpers.c). */
#ifndef TESTS_UNIT_DNS_SUITES_H
#define TESTS_UNIT_DNS_SUITES_H

#include <check.h>

#include "dns.h"

/* test_wire.c */
Suite *wire_suite(void);
/* test_zone.c */
Suite *zone_suite(void);
/* test_answer.c */
Suite *answer_suite(void);

/* helpers.c: building queries and reading responses independently of
 * the code under test where it matters (no compression when building). */
size_t mkquery(uint8_t *buf, const char *name, uint16_t type, uint16_t qclass, int edns_size,
               uint8_t edns_version, uint16_t flags);
struct rr_view {
    char owner[300];
    uint16_t type, qclass;
    uint32_t ttl;
    char rdata[700]; /* presentation form for names and addresses, hex otherwise */
};
struct msg_view {
    uint16_t id, flags, count[4];
    int rcode; /* with the OPT's extended bits */
    char qname[300];
    bool opt;
    uint16_t opt_size;
    struct rr_view rr[64]; /* answer, authority, additional (OPT left out) */
    int nrr[3];
};
int parse_msg(const uint8_t *msg, size_t len, struct msg_view *m);
const struct rr_view *section_rr(const struct msg_view *m, int section, int i);
int zone_from_text(struct zone *z, const char *text, const char *file, char *err, size_t errlen);
int db_from_texts(struct db *db, const char *const *texts, const char *const *files, int n);
int db_from_example(struct db *db);

#endif
