/* RFC 3339 timestamps ("2026-01-02T03:04:05.678Z", "...+02:00") to
 * milliseconds since the Unix epoch, without the C library's time zone
 * machinery (newlib has no timegm). */
#ifndef SIEM_STORE_RFC3339_H
#define SIEM_STORE_RFC3339_H

#include <stdint.h>

/* Parses the whole string s as an RFC 3339 date-time (section 5.6:
 * full-date "T" full-time; "t" or a space may stand for "T", "z" for "Z";
 * any number of fraction digits, kept to the millisecond, truncated; a
 * leap second :60 counts as the following second). Years 0000-9999.
 * Returns 0 and sets *ms, or -1 when s is not such a timestamp. */
int rfc3339_parse_ms(const char *s, int64_t *ms);

/* Days from 1970-01-01 to the given proleptic Gregorian date (negative
 * before 1970); month 1-12, day 1-31, not checked here. */
int64_t rfc3339_days_from_civil(int year, int month, int day);

#endif
