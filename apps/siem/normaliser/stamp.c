/* Syslog time stamp parsing, bounded by an end pointer (records are not
 * NUL-terminated). */
#include "stamp.h"

#include "civil.h"

/* Reads exactly n decimal digits at *p (not past end) into *v. */
static int digits(const char **p, const char *end, int n, int *v)
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

/* "hh:mm:ss" and an optional fraction of up to 9 digits. */
static int clock_time(const char **p, const char *end, int64_t *sec, int64_t *frac_ns)
{
    int h, m, s;
    if (digits(p, end, 2, &h) || expect(p, end, ':') || digits(p, end, 2, &m) ||
        expect(p, end, ':') || digits(p, end, 2, &s) || h > 23 || m > 59 || s > 59)
        return -1;
    *sec = h * 3600 + m * 60 + s;
    *frac_ns = 0;
    if (*p < end && **p == '.') {
        (*p)++;
        int n = 0;
        int64_t scale = 100000000;
        while (*p < end && **p >= '0' && **p <= '9') {
            if (++n > 9)
                return -1;
            *frac_ns += (**p - '0') * scale;
            scale /= 10;
            (*p)++;
        }
        if (n == 0)
            return -1;
    }
    return 0;
}

/* Seconds since 1970 to nanoseconds, refusing what an int64_t cannot hold. */
static int to_ns(int64_t sec, int64_t frac_ns, int64_t *ns)
{
    if (sec > INT64_MAX / SIEM_NS_PER_SEC - 1 || sec < INT64_MIN / SIEM_NS_PER_SEC + 1)
        return -1;
    *ns = sec * SIEM_NS_PER_SEC + frac_ns;
    return 0;
}

int siem_stamp_rfc3339(const char *p, const char *end, const char **stop, int64_t *ns)
{
    int y, mo, d, oh, om;
    int64_t sec, frac;
    if (digits(&p, end, 4, &y) || expect(&p, end, '-') || digits(&p, end, 2, &mo) ||
        expect(&p, end, '-') || digits(&p, end, 2, &d) ||
        !siem_civil_valid(y, (unsigned)mo, (unsigned)d))
        return -1;
    if (p >= end || (*p != 'T' && *p != 't'))
        return -1;
    p++;
    if (clock_time(&p, end, &sec, &frac) || p >= end)
        return -1;
    int64_t offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1;
        if (digits(&p, end, 2, &oh) || expect(&p, end, ':') || digits(&p, end, 2, &om) || oh > 23 ||
            om > 59)
            return -1;
        offset = sign * (oh * 3600 + om * 60);
    } else {
        return -1;
    }
    /* Local time = UTC + offset, so UTC = local - offset. */
    sec += siem_days_from_civil(y, (unsigned)mo, (unsigned)d) * SIEM_SEC_PER_DAY - offset;
    if (to_ns(sec, frac, ns))
        return -1;
    *stop = p;
    return 0;
}

static int month(const char *p)
{
    static const char names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int i = 0; i < 12; i++) {
        const char *n = names + 3 * i;
        /* Case-insensitive: some devices send "DEC". */
        if ((p[0] | 0x20) == (n[0] | 0x20) && (p[1] | 0x20) == n[1] && (p[2] | 0x20) == n[2])
            return i + 1;
    }
    return 0;
}

int siem_stamp_rfc3164(const char *p, const char *end, int64_t received_ns, const char **stop,
                       int64_t *ns)
{
    if (end - p < 4)
        return -1;
    int mo = month(p), d, y = -1;
    p += 3;
    if (mo == 0 || expect(&p, end, ' '))
        return -1;
    if (p < end && *p == ' ') /* "Dec  1": the day padded with a space */
        p++;
    if (digits(&p, end, 2, &d) && digits(&p, end, 1, &d))
        return -1;
    if (expect(&p, end, ' '))
        return -1;
    const char *q = p;
    if (digits(&q, end, 4, &y) == 0 && expect(&q, end, ' ') == 0)
        p = q; /* "Dec  1 2026 10:00:00" */
    else
        y = -1;
    int64_t sec, frac;
    if (clock_time(&p, end, &sec, &frac))
        return -1;
    if (p < end && *p != ' ')
        return -1;
    if (y >= 0) {
        if (!siem_civil_valid(y, (unsigned)mo, (unsigned)d) ||
            to_ns(siem_days_from_civil(y, (unsigned)mo, (unsigned)d) * SIEM_SEC_PER_DAY + sec, frac,
                  ns))
            return -1;
        *stop = p;
        return 0;
    }
    /* The year of reception, then the candidate year around it with the
     * smallest distance to the reception time. */
    int64_t ry;
    unsigned rm, rd;
    int64_t rdays = received_ns / SIEM_NS_PER_SEC / SIEM_SEC_PER_DAY;
    siem_civil_from_days(rdays, &ry, &rm, &rd);
    int found = 0;
    int64_t best = 0, best_dist = 0;
    for (int64_t cy = ry - 1; cy <= ry + 1; cy++) {
        int64_t t;
        if (!siem_civil_valid(cy, (unsigned)mo, (unsigned)d) ||
            to_ns(siem_days_from_civil(cy, (unsigned)mo, (unsigned)d) * SIEM_SEC_PER_DAY + sec,
                  frac, &t))
            continue;
        /* Both are well inside int64_t range, so the difference is too. */
        int64_t dist = t > received_ns ? t - received_ns : received_ns - t;
        if (!found || dist < best_dist) {
            found = 1;
            best = t;
            best_dist = dist;
        }
    }
    if (!found) /* 29 February with no leap year in reach */
        return -1;
    *ns = best;
    *stop = p;
    return 0;
}
