/* Syslog time stamps: RFC 5424's RFC 3339 profile and RFC 3164's
 * year-less "Mmm dd hh:mm:ss", to nanoseconds since 1970 UTC. */
#ifndef SIEM_STAMP_H
#define SIEM_STAMP_H

#include <stddef.h>
#include <stdint.h>

/* Parses "YYYY-MM-DDThh:mm:ss[.frac]{Z|+hh:mm|-hh:mm}" (RFC 5424 6.2.3:
 * up to 6 fraction digits are allowed there; up to 9 are accepted here, and
 * 't'/'z' in lower case as RFC 3339 permits) at p, reading no further than
 * end. On success sets *ns and *stop (the byte after the stamp) and returns
 * 0; -1 when there is no valid stamp or it is outside the years that
 * nanoseconds in an int64_t can hold (1678..2261). */
int siem_stamp_rfc3339(const char *p, const char *end, const char **stop, int64_t *ns);

/* Parses RFC 3164's "Mmm dd hh:mm:ss" (day space-padded or not, an
 * optional ".fraction" after the seconds, and an optional 4-digit year
 * after the day as some devices send). Without a year it takes the one that
 * puts the stamp closest to received_ns (a December line received on
 * 1 January is from last year). The time is taken as UTC, since the line
 * does not say. Returns 0 with *ns and *stop set, or -1. */
int siem_stamp_rfc3164(const char *p, const char *end, int64_t received_ns, const char **stop,
                       int64_t *ns);

#endif
