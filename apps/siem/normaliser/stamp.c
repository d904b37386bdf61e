/* RFC 3164 time stamp parsing, bounded by an end pointer (records are not
 * NUL-terminated). */
#include "stamp.h"

#include "civil.h"
#include "siemtime.h"

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

/* Skips one space at *p (not past end); -1 if there is none. */
static int space(const char **p, const char *end)
{
    if (*p >= end || **p != ' ')
        return -1;
    (*p)++;
    return 0;
}

int siem_stamp_rfc3164(const char *p, const char *end, int64_t received_ns, const char **stop,
                       int64_t *ns)
{
    if (end - p < 4)
        return -1;
    int mo = month(p), d, y;
    p += 3;
    if (mo == 0 || space(&p, end))
        return -1;
    if (p < end && *p == ' ') /* "Dec  1": the day padded with a space */
        p++;
    if (siem_time_digits(&p, end, 2, &d) && siem_time_digits(&p, end, 1, &d))
        return -1;
    if (space(&p, end))
        return -1;
    const char *q = p;
    if (siem_time_digits(&q, end, 4, &y) == 0 && space(&q, end) == 0)
        p = q; /* "Dec  1 2026 10:00:00" */
    else
        y = -1;
    int64_t sec, frac;
    if (siem_time_clock(&p, end, &sec, &frac))
        return -1;
    if (p < end && *p != ' ')
        return -1;
    if (y >= 0) {
        if (siem_time_civil_ns(y, (unsigned)mo, (unsigned)d, sec, frac, ns))
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
        if (siem_time_civil_ns(cy, (unsigned)mo, (unsigned)d, sec, frac, &t))
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
