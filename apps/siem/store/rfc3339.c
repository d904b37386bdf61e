/* RFC 3339 date-time parsing into epoch milliseconds. */
#include "rfc3339.h"

/* Reads exactly n decimal digits at *p into *out and advances *p. */
static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

/* Leap years in [0, y) for y >= 0: year 0 is one (divisible by 400), and
 * among 1 .. y-1 those divisible by 4, minus the centuries, plus the
 * centuries divisible by 400. */
static int64_t leaps_before(int64_t y)
{
    if (y <= 0)
        return 0;
    return 1 + (y - 1) / 4 - (y - 1) / 100 + (y - 1) / 400;
}

/* Whole years of 365 days plus one day per leap year since 1970, then the
 * months of the year, then the day. */
int64_t rfc3339_days_from_civil(int year, int month, int day)
{
    static const int cumulative[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    int64_t days = ((int64_t)year - 1970) * 365 + leaps_before(year) - leaps_before(1970);
    days += cumulative[month - 1];
    if (month > 2 && is_leap(year))
        days += 1;
    return days + (day - 1);
}

int rfc3339_parse_ms(const char *s, int64_t *ms)
{
    int year, month, day, hour, min, sec;
    const char *p = s;
    if (!s || digits(&p, 4, &year) || *p++ != '-' || digits(&p, 2, &month) || *p++ != '-' ||
        digits(&p, 2, &day))
        return -1;
    if (*p != 'T' && *p != 't' && *p != ' ')
        return -1;
    p++;
    if (digits(&p, 2, &hour) || *p++ != ':' || digits(&p, 2, &min) || *p++ != ':' ||
        digits(&p, 2, &sec))
        return -1;
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 ||
        min > 59 || sec > 60)
        return -1;
    int frac_ms = 0;
    if (*p == '.') {
        p++;
        int n = 0;
        /* Keep three digits of the fraction; the rest only has to be digits. */
        while (*p >= '0' && *p <= '9') {
            if (n < 3)
                frac_ms = frac_ms * 10 + (*p - '0');
            n++;
            p++;
        }
        if (n == 0)
            return -1;
        for (; n < 3; n++)
            frac_ms *= 10;
    }
    int offset_min = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om;
        if (digits(&p, 2, &oh) || *p++ != ':' || digits(&p, 2, &om) || oh > 23 || om > 59)
            return -1;
        offset_min = sign * (oh * 60 + om);
    } else {
        return -1;
    }
    if (*p != '\0')
        return -1;
    int64_t days = rfc3339_days_from_civil(year, month, day);
    /* Local time minus the offset is UTC: 10:00+02:00 is 08:00Z. */
    int64_t secs = days * 86400 + hour * 3600 + min * 60 + sec - (int64_t)offset_min * 60;
    *ms = secs * 1000 + frac_ms;
    return 0;
}
