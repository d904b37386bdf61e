/* RFC 3339 time stamps <-> nanoseconds or milliseconds since 1970 UTC, the
 * one parser and formatter every SIEM module uses (without timegm, strptime
 * or gmtime_r, which newlib and the host do not share). */
#ifndef SIEM_TIME_H
#define SIEM_TIME_H

#include <stdint.h>

/* "2026-12-01T03:55:47.123Z" and its NUL. */
#define SIEM_TIME_LEN 25

/* What every parser here accepts (RFC 3339 section 5.6, strictly):
 *   YYYY-MM-DD T hh:mm:ss [.fraction] (Z | +hh:mm | -hh:mm)
 * - "t" and "z" in lower case (section 5.6 allows it); no space for "T".
 * - a real date (29 February only in leap years), hh 00-23, mm and ss
 *   00-59: a leap second ":60" is refused, since POSIX time, which these
 *   numbers count, has no second for it.
 * - 1 to 9 fraction digits (RFC 5424 6.2.3 allows 6; nanoseconds need 9).
 * - an offset of at most 23:59.
 * - the instant (after the offset) not before 1970-01-01T00:00:00Z; as
 *   nanoseconds also no later than an int64_t holds (2262-04-11).
 * Each returns 0 and sets its result, or -1 and leaves it alone. */

/* Parses the stamp at p, reading no further than end (records are not
 * NUL-terminated); *stop is set to the byte after it. */
int siem_time_scan_ns(const char *p, const char *end, const char **stop, int64_t *ns);

/* Parse all of the NUL-terminated s (NULL is refused). Milliseconds keep
 * the fraction's first three digits (truncated). */
int siem_time_parse_ns(const char *s, int64_t *ns);
int siem_time_parse_ms(const char *s, int64_t *ms);

/* Format as RFC 3339 UTC with milliseconds, rounding down (also before
 * 1970). Return 0, or -1 (and write "") for a time outside the years
 * 0000..9999, which the format cannot express. */
int siem_time_format_ns(int64_t ns, char out[SIEM_TIME_LEN]);
int siem_time_format_ms(int64_t ms, char out[SIEM_TIME_LEN]);

/* Pieces for the parsers of other stamp formats (RFC 3164): */

/* Reads exactly n decimal digits at *p (not past end) into *v and
 * advances *p; -1 if they are not there. */
int siem_time_digits(const char **p, const char *end, int n, int *v);

/* Reads "hh:mm:ss[.fraction]" as above at *p (not past end) into the second
 * of the day and the fraction in nanoseconds, and advances *p; -1 if there
 * is none. */
int siem_time_clock(const char **p, const char *end, int64_t *sec, int64_t *frac_ns);

/* The date y-m-d (checked) at sec seconds into the day plus frac_ns, in
 * nanoseconds since 1970, with the same range as siem_time_scan_ns. */
int siem_time_civil_ns(int64_t y, unsigned m, unsigned d, int64_t sec, int64_t frac_ns,
                       int64_t *ns);

#endif
