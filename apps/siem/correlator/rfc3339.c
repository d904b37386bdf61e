/* RFC 3339 timestamps <-> milliseconds since 1970, UTC. */
#include "rfc3339.h"

static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to January 1st of year y (y >= 1970): 365 a year
 * plus one per leap year in between, counted as leap years up to y-1
 * minus those up to 1969. */
static int64_t days_before_year(int y)
{
    int64_t p = y - 1;
    return 365 * (int64_t)(y - 1970) + (p / 4 - p / 100 + p / 400) -
           (1969 / 4 - 1969 / 100 + 1969 / 400);
}

static int64_t days_before_month(int y, int m)
{
    int64_t d = 0;
    for (int i = 1; i < m; i++)
        d += month_days[i - 1] + (i == 2 && leap(y));
    return d;
}

/* Reads exactly n digits. */
static int digits(const char **s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*s)++) {
        if (**s < '0' || **s > '9')
            return -1;
        v = v * 10 + (**s - '0');
    }
    *out = v;
    return 0;
}

static int expect(const char **s, char c)
{
    return *(*s)++ == c ? 0 : -1;
}

int corr_time_parse(const char *text, int64_t *ms)
{
    const char *s = text;
    int y, mo, d, h, mi, sec, frac = 0;
    if (!s || digits(&s, 4, &y) || expect(&s, '-') || digits(&s, 2, &mo) || expect(&s, '-') ||
        digits(&s, 2, &d))
        return -1;
    if (*s != 'T' && *s != 't' && *s != ' ')
        return -1;
    s++;
    if (digits(&s, 2, &h) || expect(&s, ':') || digits(&s, 2, &mi) || expect(&s, ':') ||
        digits(&s, 2, &sec))
        return -1;
    if (*s == '.') {
        int n = 0;
        for (s++; *s >= '0' && *s <= '9'; s++, n++)
            if (n < 3)
                frac = frac * 10 + (*s - '0');
        if (n == 0)
            return -1;
        for (; n < 3; n++)
            frac *= 10;
    }
    int offset_min = 0;
    if (*s == 'Z' || *s == 'z') {
        s++;
    } else if (*s == '+' || *s == '-') {
        int sign = *s++ == '-' ? -1 : 1, oh, om;
        if (digits(&s, 2, &oh) || expect(&s, ':') || digits(&s, 2, &om) || oh > 23 || om > 59)
            return -1;
        offset_min = sign * (oh * 60 + om);
    } else {
        return -1;
    }
    /* A leap second (60) is accepted and lands on the next second. */
    if (*s || y < 1970 || mo < 1 || mo > 12 || d < 1 ||
        d > month_days[mo - 1] + (mo == 2 && leap(y)) || h > 23 || mi > 59 || sec > 60)
        return -1;
    int64_t days = days_before_year(y) + days_before_month(y, mo) + d - 1;
    int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset_min * 60;
    if (secs < 0)
        return -1;
    *ms = secs * 1000 + frac;
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

void corr_time_format(int64_t ms, char out[CORR_TIME_LEN])
{
    if (ms < 0)
        ms = 0;
    if (ms >= days_before_year(10000) * 86400000)
        ms = days_before_year(10000) * 86400000 - 1;
    int64_t days = ms / 86400000, rest = ms % 86400000;
    int y = 1970 + (int)(days / 366); /* a lower bound: no year is longer */
    while (days_before_year(y + 1) <= days)
        y++;
    days -= days_before_year(y);
    int m = 1;
    while (m < 12 && days_before_month(y, m + 1) <= days)
        m++;
    days -= days_before_month(y, m);
    /* Written digit by digit: every field's range is known here, and
     * snprintf's truncation warning cannot see that. */
    char *p = out;
    p = put(p, y, 4, '-');
    p = put(p, m, 2, '-');
    p = put(p, (int)days + 1, 2, 'T');
    p = put(p, (int)(rest / 3600000), 2, ':');
    p = put(p, (int)(rest / 60000 % 60), 2, ':');
    p = put(p, (int)(rest / 1000 % 60), 2, '.');
    p = put(p, (int)(rest % 1000), 3, 'Z');
    *p = '\0';
}
