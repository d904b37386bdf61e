/* RFC 3164's year-less syslog time stamp "Mmm dd hh:mm:ss" to nanoseconds
 * since 1970 UTC (RFC 5424's RFC 3339 stamps are siemtime.h's). */
#ifndef SIEM_STAMP_H
#define SIEM_STAMP_H

#include <stddef.h>
#include <stdint.h>

/* Parses RFC 3164's "Mmm dd hh:mm:ss" (day space-padded or not, an
 * optional ".fraction" after the seconds, and an optional 4-digit year
 * after the day as some devices send). Without a year it takes the one that
 * puts the stamp closest to received_ns (a December line received on
 * 1 January is from last year). The time is taken as UTC, since the line
 * does not say; the range is siem_time_civil_ns's. Returns 0 with *ns and
 * *stop set, or -1. */
int siem_stamp_rfc3164(const char *p, const char *end, int64_t received_ns, const char **stop,
                       int64_t *ns);

#endif
