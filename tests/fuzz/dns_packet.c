/* libFuzzer target: any bytes as a DNS message through the whole answer
 * path (parsing, lookup, response) over UDP and TCP, against the zone
 * compiled in; every response must itself be a well-formed message within
 * its size limit, or the target aborts. */
#include <stdlib.h>
#include <string.h>

#include "dns.h"

static struct db db;

static void load(void)
{
    struct zone z;
    char err[600];
    size_t len = (size_t)(dns_builtin_zone_end - dns_builtin_zone);
    if (zone_parse(&z, dns_builtin_zone, len, dns_builtin_zone_name, err, sizeof(err)) < 0 ||
        db_build(&db, &z, 1, err, sizeof(err)) < 0)
        abort();
    zone_free(&z);
}

/* Walks the whole response: header, question, every record in bounds. */
static void check_response(const uint8_t *q, size_t qlen, const uint8_t *r, size_t n, bool tcp)
{
    if (n < DNS_HEADER || n > (tcp ? DNS_MSG_MAX : DNS_EDNS_SIZE))
        abort();
    if (!(get16(r + 2) & F_QR) || get16(r) != get16(q) || qlen < DNS_HEADER)
        abort();
    size_t off = DNS_HEADER;
    struct dname d;
    if (get16(r + 4) > 1)
        abort();
    for (unsigned i = get16(r + 4); i > 0; i--)
        if (wire_read_name(r, n, &off, &d) < 0 || (off += 4) > n)
            abort();
    unsigned rrs = (unsigned)get16(r + 6) + get16(r + 8) + get16(r + 10);
    for (unsigned i = 0; i < rrs; i++) {
        if (wire_read_name(r, n, &off, &d) < 0 || off + 10 > n)
            abort();
        uint16_t type = get16(r + off), rdlen = get16(r + off + 8);
        off += 10;
        if (off + rdlen > n)
            abort();
        size_t p = off;
        if ((type == T_NS || type == T_CNAME || type == T_PTR) &&
            (wire_read_name(r, n, &p, &d) < 0 || p != off + rdlen))
            abort(); /* RDLENGTH must match the (compressed) name */
        off += rdlen;
    }
    if (off != n)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[DNS_MSG_MAX];
    static struct stats st;
    if (db.nnodes == 0)
        load();
    for (int tcp = 0; tcp < 2; tcp++) {
        size_t n = dns_answer(&db, &st, data, size, out, tcp ? sizeof(out) : DNS_EDNS_SIZE, tcp);
        if (n > 0)
            check_response(data, size, out, n, tcp);
    }
    return 0;
}
