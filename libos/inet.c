/* Address text conversion (<arpa/inet.h>): inet_pton, inet_ntop (RFC 5952
 * form for IPv6), inet_aton, inet_addr, inet_ntoa. Pure functions; no
 * network stack needed. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

const struct in6_addr in6addr_any = IN6ADDR_ANY_INIT;
const struct in6_addr in6addr_loopback = IN6ADDR_LOOPBACK_INIT;

/* Strict dotted quad (what inet_pton accepts): four decimal parts 0-255,
 * no leading zeros. */
static int pton4(const char *s, unsigned char out[4])
{
    for (int part = 0; part < 4; part++) {
        if (part && *s++ != '.')
            return 0;
        if (*s < '0' || *s > '9')
            return 0;
        unsigned v = 0;
        const char *start = s;
        while (*s >= '0' && *s <= '9') {
            v = v * 10 + (unsigned)(*s++ - '0');
            if (v > 255 || (s - start > 1 && *start == '0'))
                return 0;
        }
        out[part] = (unsigned char)v;
    }
    return *s == '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* RFC 4291 section 2.2 text forms, including "::" and a trailing dotted quad. */
static int pton6(const char *s, unsigned char out[16])
{
    unsigned char buf[16] = {0};
    int n = 0, gap = -1;
    if (s[0] == ':' && s[1] == ':') {
        gap = 0;
        s += 2;
        if (!*s)
            goto done;
    } else if (*s == ':') {
        return 0;
    }
    for (;;) {
        if (n + 4 <= 16 && strchr(s, '.') && !strchr(s, ':')) {
            if (!pton4(s, buf + n))
                return 0;
            n += 4;
            break;
        }
        int digits = 0;
        unsigned v = 0;
        for (int h; (h = hexval(*s)) >= 0; s++) {
            if (++digits > 4)
                return 0;
            v = v << 4 | (unsigned)h;
        }
        if (!digits || n + 2 > 16)
            return 0;
        buf[n++] = (unsigned char)(v >> 8);
        buf[n++] = (unsigned char)v;
        if (!*s)
            break;
        if (*s++ != ':')
            return 0;
        if (*s == ':') {
            if (gap >= 0)
                return 0; /* at most one "::" */
            gap = n;
            if (!*++s)
                break;
        } else if (!*s) {
            return 0; /* a trailing single ':' */
        }
    }
done:
    if (gap >= 0) {
        if (n == 16)
            return 0;
        memmove(buf + 16 - (n - gap), buf + gap, (size_t)(n - gap));
        memset(buf + gap, 0, (size_t)(16 - n));
    } else if (n != 16) {
        return 0;
    }
    memcpy(out, buf, 16);
    return 1;
}

int inet_pton(int af, const char *restrict src, void *restrict dst)
{
    if (af == AF_INET)
        return pton4(src, dst);
    if (af == AF_INET6)
        return pton6(src, dst);
    errno = EAFNOSUPPORT;
    return -1;
}

static const char *ntop6(const unsigned char *a, char *dst, socklen_t size)
{
    char buf[INET6_ADDRSTRLEN], *p = buf;
    unsigned w[8];
    for (int i = 0; i < 8; i++)
        w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
    /* The longest run of two or more zero words becomes "::" (the first
     * when runs tie), as RFC 5952 section 4.2 says. */
    int best = -1, best_len = 1;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && w[j] == 0)
            j++;
        if (j - i > best_len)
            best = i, best_len = j - i;
        i = j > i ? j : i + 1;
    }
    int v4 = best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff));
    for (int i = 0; i < 8; i++) {
        if (i == best) {
            p += sprintf(p, "::");
            i += best_len - 1;
            continue;
        }
        if (i > 0 && i != best + best_len)
            *p++ = ':';
        if (v4 && i == 6) {
            p += sprintf(p, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
            break;
        }
        p += sprintf(p, "%x", w[i]);
    }
    if ((socklen_t)(p - buf) + 1 > size) {
        errno = ENOSPC;
        return NULL;
    }
    memcpy(dst, buf, (size_t)(p - buf) + 1);
    return dst;
}

const char *inet_ntop(int af, const void *restrict src, char *restrict dst, socklen_t size)
{
    const unsigned char *a = src;
    if (af == AF_INET) {
        char buf[INET_ADDRSTRLEN];
        int n = snprintf(buf, sizeof(buf), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
        if ((socklen_t)n + 1 > size) {
            errno = ENOSPC;
            return NULL;
        }
        memcpy(dst, buf, (size_t)n + 1);
        return dst;
    }
    if (af == AF_INET6)
        return ntop6(a, dst, size);
    errno = EAFNOSUPPORT;
    return NULL;
}

/* The BSD forms: a, a.b (8.24 bits), a.b.c (8.8.16), a.b.c.d; each part
 * decimal, octal (leading 0) or hex (0x). */
int inet_aton(const char *cp, struct in_addr *inp)
{
    unsigned long parts[4];
    int n = 0;
    for (;;) {
        if (n == 4 || !(*cp >= '0' && *cp <= '9'))
            return 0;
        int base = 10;
        if (cp[0] == '0' && (cp[1] == 'x' || cp[1] == 'X'))
            base = 16, cp += 2;
        else if (cp[0] == '0')
            base = 8;
        unsigned long v = 0;
        int h, digits = 0;
        while ((h = hexval(*cp)) >= 0 && h < base) {
            v = v * (unsigned)base + (unsigned)h;
            if (v > 0xffffffffu)
                return 0;
            cp++, digits++;
        }
        if (!digits && base == 16)
            return 0;
        parts[n++] = v;
        if (*cp == '\0')
            break;
        if (*cp++ != '.')
            return 0;
    }
    static const unsigned long max_last[] = {0xffffffffu, 0xffffffu, 0xffffu, 0xffu};
    unsigned long addr = parts[n - 1];
    if (addr > max_last[n - 1])
        return 0;
    for (int i = 0; i < n - 1; i++) {
        if (parts[i] > 0xff)
            return 0;
        addr |= parts[i] << (24 - 8 * i);
    }
    if (inp)
        inp->s_addr = htonl((uint32_t)addr);
    return 1;
}

in_addr_t inet_addr(const char *cp)
{
    struct in_addr a;
    return inet_aton(cp, &a) ? a.s_addr : INADDR_NONE;
}

char *inet_ntoa(struct in_addr in)
{
    static char buf[INET_ADDRSTRLEN];
    return (char *)inet_ntop(AF_INET, &in, buf, sizeof(buf));
}
