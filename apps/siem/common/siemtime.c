/* RFC 3339 time stamp parsing and formatting on the civil calendar. */
#include "siemtime.h"

#include <string.h>

#include "civil.h"

#define NS_PER_MS 1000000LL

int siem_time_digits(const char **p, const char *end, int n, int *v)
{
    if (end - *p < n)
        return -1;
    int x = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return -1;
        x = x * 10 + (c - '0');
    }
    *p += n;
    *v = x;
    return 0;
}

static int expect(const char **p, const char *end, char c)
{
    if (*p >= end || **p != c)
        return -1;
    (*p)++;
    return 0;
}

int siem_time_clock(const char **p, const char *end, int64_t *sec, int64_t *frac_ns)
{
    const char *q = *p;
    int h, m, s;
    if (siem_time_digits(&q, end, 2, &h) || expect(&q, end, ':') ||
        siem_time_digits(&q, end, 2, &m) || expect(&q, end, ':') ||
        siem_time_digits(&q, end, 2, &s) || h > 23 || m > 59 || s > 59)
        return -1;
    int64_t frac = 0;
    if (q < end && *q == '.') {
        q++;
        int n = 0;
        int64_t scale = 100000000;
        while (q < end && *q >= '0' && *q <= '9') {
            if (++n > 9)
                return -1;
            frac += (*q - '0') * scale;
            scale /= 10;
            q++;
        }
        if (n == 0)
            return -1;
    }
    *sec = h * 3600 + m * 60 + s;
    *frac_ns = frac;
    *p = q;
    return 0;
}

/* Seconds and nanoseconds since 1970 to nanoseconds, refusing what is
 * before 1970 or more than an int64_t holds. */
static int to_ns(int64_t sec, int64_t frac_ns, int64_t *ns)
{
    if (sec < 0 || sec > INT64_MAX / SIEM_NS_PER_SEC ||
        (sec == INT64_MAX / SIEM_NS_PER_SEC && frac_ns > INT64_MAX % SIEM_NS_PER_SEC))
        return -1;
    *ns = sec * SIEM_NS_PER_SEC + frac_ns;
    return 0;
}

int siem_time_civil_ns(int64_t y, unsigned m, unsigned d, int64_t sec, int64_t frac_ns, int64_t *ns)
{
    if (!siem_civil_valid(y, m, d))
        return -1;
    return to_ns(siem_days_from_civil(y, m, d) * SIEM_SEC_PER_DAY + sec, frac_ns, ns);
}

/* The stamp at p as whole seconds since 1970 (not negative) and the
 * fraction in nanoseconds. */
static int scan(const char *p, const char *end, const char **stop, int64_t *sec, int64_t *frac)
{
    int y, mo, d, oh, om;
    if (siem_time_digits(&p, end, 4, &y) || expect(&p, end, '-') ||
        siem_time_digits(&p, end, 2, &mo) || expect(&p, end, '-') ||
        siem_time_digits(&p, end, 2, &d) || !siem_civil_valid(y, (unsigned)mo, (unsigned)d))
        return -1;
    if (p >= end || (*p != 'T' && *p != 't'))
        return -1;
    p++;
    int64_t s;
    if (siem_time_clock(&p, end, &s, frac) || p >= end)
        return -1;
    int64_t offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1;
        if (siem_time_digits(&p, end, 2, &oh) || expect(&p, end, ':') ||
            siem_time_digits(&p, end, 2, &om) || oh > 23 || om > 59)
            return -1;
        offset = sign * (oh * 3600 + om * 60);
    } else {
        return -1;
    }
    /* Local time = UTC + offset, so UTC = local - offset. */
    s += siem_days_from_civil(y, (unsigned)mo, (unsigned)d) * SIEM_SEC_PER_DAY - offset;
    if (s < 0)
        return -1;
    *sec = s;
    *stop = p;
    return 0;
}

int siem_time_scan_ns(const char *p, const char *end, const char **stop, int64_t *ns)
{
    int64_t sec, frac;
    const char *q;
    if (scan(p, end, &q, &sec, &frac) || to_ns(sec, frac, ns))
        return -1;
    *stop = q;
    return 0;
}

int siem_time_parse_ns(const char *s, int64_t *ns)
{
    const char *end = s ? s + strlen(s) : NULL, *stop;
    int64_t v;
    if (!s || siem_time_scan_ns(s, end, &stop, &v) || stop != end)
        return -1;
    *ns = v;
    return 0;
}

int siem_time_parse_ms(const char *s, int64_t *ms)
{
    const char *end = s ? s + strlen(s) : NULL, *stop;
    int64_t sec, frac;
    /* Year 9999 in milliseconds is far inside int64_t. */
    if (!s || scan(s, end, &stop, &sec, &frac) || stop != end)
        return -1;
    *ms = sec * 1000 + frac / NS_PER_MS;
    return 0;
}

/* Writes v as exactly width digits, then sep. */
static char *put(char *p, int v, int width, char sep)
{
    for (int i = width - 1; i >= 0; i--, v /= 10)
        p[i] = (char)('0' + v % 10);
    p[width] = sep;
    return p + width + 1;
}

/* sec and ms since 1970 (ms 0..999) as the text. */
static int format(int64_t sec, int ms, char out[SIEM_TIME_LEN])
{
    /* Floor division, so that times before 1970 still round down. */
    int64_t days = sec / SIEM_SEC_PER_DAY, rem = sec % SIEM_SEC_PER_DAY;
    if (rem < 0) {
        rem += SIEM_SEC_PER_DAY;
        days--;
    }
    int64_t y;
    unsigned m, d;
    siem_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        out[0] = '\0';
        return -1;
    }
    /* Written digit by digit: every field's range is known here, and
     * snprintf's truncation warning cannot see that. */
    char *p = out;
    p = put(p, (int)y, 4, '-');
    p = put(p, (int)m, 2, '-');
    p = put(p, (int)d, 2, 'T');
    p = put(p, (int)(rem / 3600), 2, ':');
    p = put(p, (int)(rem / 60 % 60), 2, ':');
    p = put(p, (int)(rem % 60), 2, '.');
    p = put(p, ms, 3, 'Z');
    *p = '\0';
    return 0;
}

int siem_time_format_ns(int64_t ns, char out[SIEM_TIME_LEN])
{
    int64_t sec = ns / SIEM_NS_PER_SEC, frac = ns % SIEM_NS_PER_SEC;
    if (frac < 0) {
        frac += SIEM_NS_PER_SEC;
        sec--;
    }
    return format(sec, (int)(frac / NS_PER_MS), out);
}

int siem_time_format_ms(int64_t ms, char out[SIEM_TIME_LEN])
{
    int64_t sec = ms / 1000, frac = ms % 1000;
    if (frac < 0) {
        frac += 1000;
        sec--;
    }
    return format(sec, (int)frac, out);
}
