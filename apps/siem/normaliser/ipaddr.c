/* IPv4 and IPv6 text forms checked by hand: inet_pton is not in every
 * libc this code is built with, and it needs a NUL-terminated string. */
#include "ipaddr.h"

#include <ctype.h>

static int ipv4(const char *p, size_t len)
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0) {
            if (i >= len || p[i] != '.')
                return 0;
            i++;
        }
        size_t s = i;
        int v = 0;
        while (i < len && i - s < 3 && p[i] >= '0' && p[i] <= '9')
            v = v * 10 + (p[i++] - '0');
        if (i == s || v > 255 || (i - s > 1 && p[s] == '0'))
            return 0;
    }
    return i == len;
}

static int ipv6(const char *p, size_t len)
{
    if (len < 2 || len > SIEM_IP_MAX)
        return 0;
    int groups = 0, gap = 0;
    size_t i = 0;
    if (p[0] == ':') { /* only as the start of a leading "::" */
        if (p[1] != ':')
            return 0;
        gap = 1;
        i = 2;
        if (i == len)
            return 1; /* "::" */
    }
    while (i < len) {
        size_t s = i;
        while (i < len && i - s < 5 && isxdigit((unsigned char)p[i]))
            i++;
        if (i < len && p[i] == '.') { /* a dotted quad ends the address */
            if (!ipv4(p + s, len - s))
                return 0;
            groups += 2;
            break;
        }
        if (i == s || i - s > 4)
            return 0;
        groups++;
        if (i == len)
            break;
        if (p[i] != ':')
            return 0;
        i++;
        if (i < len && p[i] == ':') {
            if (gap)
                return 0;
            gap = 1;
            i++;
        } else if (i == len) {
            return 0; /* a single trailing colon */
        }
    }
    return gap ? groups <= 7 : groups == 8;
}

int siem_ip_valid(const char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] == ':')
            return ipv6(p, len);
    return ipv4(p, len);
}
