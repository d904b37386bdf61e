/* libFuzzer target: any bytes as a master file through the zone parser;
 * an accepted zone is indexed and asked a few questions about its own
 * names, a rejected one must say "file:line: reason". */
#include <stdlib.h>
#include <string.h>

#include "dns.h"

#define FILE_NAME "fuzz.test.zone"

static size_t query(uint8_t *q, const uint8_t *name, size_t len, uint16_t type)
{
    memset(q, 0, DNS_HEADER);
    put16(q + 4, 1);
    memcpy(q + DNS_HEADER, name, len);
    put16(q + DNS_HEADER + len, type);
    put16(q + DNS_HEADER + len + 2, C_IN);
    return DNS_HEADER + len + 4;
}

static void ask_about(const struct db *db, const uint8_t *name)
{
    static uint8_t q[DNS_HEADER + DNS_NAME_MAX + 8], out[DNS_MSG_MAX];
    static const uint16_t types[] = {T_A, T_ANY, T_NS, T_TXT, T_DS};
    uint8_t longer[DNS_NAME_MAX + 2];
    size_t len = name_len(name);
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        dns_answer(db, NULL, q, query(q, name, len, types[i]), out, sizeof(out), true);
    if (len + 2 <= DNS_NAME_MAX) { /* a name below it: NXDOMAIN, wildcard or referral */
        longer[0] = 1;
        longer[1] = 'x';
        memcpy(longer + 2, name, len);
        dns_answer(db, NULL, q, query(q, longer, len + 2, T_A), out, sizeof(out), false);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct zone z;
    struct db db;
    char err[600];
    if (zone_parse(&z, (const char *)data, size, FILE_NAME, err, sizeof(err)) < 0) {
        if (strncmp(err, FILE_NAME ":", strlen(FILE_NAME) + 1) != 0)
            abort(); /* every rejection names the file */
        if (z.rr || z.arena || z.nrr)
            abort(); /* and keeps nothing */
        return 0;
    }
    if (db_build(&db, &z, 1, err, sizeof(err)) == 0) {
        for (size_t i = 0; i < z.nrr && i < 16; i++)
            ask_about(&db, zone_name(&z, z.rr[i].owner));
        db_free(&db);
    }
    zone_free(&z);
    return 0;
}
