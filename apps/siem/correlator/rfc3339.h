/* RFC 3339 timestamps <-> milliseconds since 1970 (UTC), without the C
 * library's time functions, which newlib and the host do not share. */
#ifndef CORR_RFC3339_H
#define CORR_RFC3339_H

#include <stdint.h>

/* "2026-12-01T03:55:47.123Z" plus the terminating NUL. */
#define CORR_TIME_LEN 25

/* Parses "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" (years 1970 to
 * 9999; the fraction is cut to milliseconds) into *ms; 0, or -1 when the
 * text is not such a timestamp. */
int corr_time_parse(const char *text, int64_t *ms);

/* Writes ms as "YYYY-MM-DDTHH:MM:SS.mmmZ" (ms below 0 as the epoch). */
void corr_time_format(int64_t ms, char out[CORR_TIME_LEN]);

#endif
