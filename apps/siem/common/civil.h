/* Proleptic Gregorian calendar arithmetic on day numbers counted from
 * 1970-01-01, so that times can be converted without timegm or gmtime_r
 * (neither is in standard C, and newlib's depend on a time zone setup). */
#ifndef SIEM_CIVIL_H
#define SIEM_CIVIL_H

#include <stdint.h>

#define SIEM_NS_PER_SEC 1000000000LL
#define SIEM_SEC_PER_DAY 86400LL

/* Days from 1970-01-01 to y-m-d (m 1..12, d 1..31; not validated here). */
int64_t siem_days_from_civil(int64_t y, unsigned m, unsigned d);

/* The date of day z counted from 1970-01-01. */
void siem_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/* 1 when y-m-d is a real date (29 February only in leap years). */
int siem_civil_valid(int64_t y, unsigned m, unsigned d);

#endif
