/* One syslog record (RFC 5424 or RFC 3164) parsed into its fields, in
 * place: every text field is a slice of the record, nothing is copied. */
#ifndef SIEM_SYSLOG_H
#define SIEM_SYSLOG_H

#include <stddef.h>
#include <stdint.h>

#include "sd.h"

enum siem_syslog_format {
    SIEM_SYSLOG_RFC3164 = 3164,
    SIEM_SYSLOG_RFC5424 = 5424,
};

/* RFC 5424 section 6 header limits (also applied to RFC 3164 tags). */
#define SIEM_SYSLOG_HOSTNAME_MAX 255
#define SIEM_SYSLOG_APPNAME_MAX 48
#define SIEM_SYSLOG_PROCID_MAX 128
#define SIEM_SYSLOG_MSGID_MAX 32

struct siem_syslog {
    enum siem_syslog_format format;
    int facility;             /* 0..23: PRI / 8 */
    int severity;             /* 0..7: PRI % 8 */
    int version;              /* RFC 5424 VERSION; 0 for RFC 3164 */
    int has_time;             /* 0: NILVALUE or no time stamp in the line */
    int64_t time_ns;          /* the record's time, ns since 1970 UTC */
    struct siem_str hostname; /* absent: NILVALUE or not in the line */
    struct siem_str appname;  /* RFC 5424 APP-NAME, RFC 3164 TAG */
    struct siem_str procid;   /* RFC 5424 PROCID, RFC 3164 "[pid]" */
    struct siem_str msgid;    /* RFC 5424 only */
    struct siem_str sd;       /* STRUCTURED-DATA, already validated; walk
                                 it with siem_sd_begin(sd.p, sd.p + sd.len) */
    struct siem_str msg;      /* MSG without a leading BOM; never absent
                                 (p may be at the end with len 0) */
};

/* Parses rec[0..len), reading nothing beyond it. Trailing LF, CR and NUL
 * bytes are not part of the record. received_ns gives RFC 3164 stamps
 * their year. Returns 0, or -1 with *error set to a static reason when the
 * record has no valid <PRI> or is RFC 5424 with a malformed header. */
int siem_syslog_parse(const char *rec, size_t len, int64_t received_ns, struct siem_syslog *out,
                      const char **error);

/* Names as in syslog.h and rsyslog ("auth", "authpriv", "local0"; "err",
 * "warning"); NULL for a code out of range. */
const char *siem_syslog_facility_name(int code);
const char *siem_syslog_severity_name(int code);

#endif
