/* The Internet checksum (RFC 1071) for lwIP (LWIP_CHKSUM): the same
 * non-inverted sum lwIP's own routine returns, summed eight octets at a time
 * into a 64-bit accumulator so carries need no handling until the fold. */
#include <string.h>

#include "lwip_port.h"

/* Octets read as little-endian 16-bit words, as lwIP's routine reads them;
 * a buffer starting at an odd address is summed from the next even one
 * and the result byte-swapped, which is the same sum (RFC 1071 2(B)). */
uint16_t lwip_port_chksum(const void *data, int len)
{
    const uint8_t *p = data;
    uint64_t sum = 0;
    int odd = (uintptr_t)p & 1;
    if (odd && len > 0) {
        sum = (uint64_t)*p++ << 8;
        len--;
    }
    for (; len >= 8; p += 8, len -= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        sum += (v & 0xffffffff) + (v >> 32);
    }
    if (len >= 4) {
        uint32_t v;
        memcpy(&v, p, 4);
        sum += v;
        p += 4;
        len -= 4;
    }
    if (len >= 2) {
        uint16_t v;
        memcpy(&v, p, 2);
        sum += v;
        p += 2;
        len -= 2;
    }
    if (len > 0)
        sum += *p;
    sum = (sum & 0xffffffff) + (sum >> 32); /* at most 33 bits */
    sum = (sum & 0xffffffff) + (sum >> 32); /* 32 bits */
    sum = (sum & 0xffff) + (sum >> 16);     /* at most 17 bits */
    sum = (sum & 0xffff) + (sum >> 16);     /* 16 bits */
    if (odd)
        sum = (sum & 0xff) << 8 | sum >> 8;
    return (uint16_t)sum;
}
