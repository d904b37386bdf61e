/* libFuzzer target: any bytes as one syslog record through the RFC 5424 /
 * RFC 3164 parser, at two reception times (mid-year, and New Year's Eve,
 * where a year-less stamp may belong to either year). Every slice must lie
 * inside the record, and the STRUCTURED-DATA said to be valid must walk
 * without error and unescape within its length; otherwise the target
 * aborts. */
#include <stdlib.h>
#include <string.h>

#include "syslog.h"

#define MID_2024 1719835200000000000ll /* 2024-07-01T12:00:00Z */
#define EVE_2024 1735689599000000000ll /* 2024-12-31T23:59:59Z */

static void inside(const char *rec, size_t len, struct siem_str s)
{
    if (s.p && (s.p < rec || s.len > len || (size_t)(s.p - rec) > len - s.len))
        abort();
}

static void walk_sd(struct siem_str sd)
{
    struct siem_sd_cursor c;
    struct siem_str id, name, value;
    int r;
    siem_sd_begin(&c, sd.p, sd.p + sd.len);
    while ((r = siem_sd_next_element(&c, &id)) == 1) {
        inside(sd.p, sd.len, id);
        if (id.len == 0 || id.len > SIEM_SD_NAME_MAX)
            abort();
        while ((r = siem_sd_next_param(&c, &name, &value)) == 1) {
            inside(sd.p, sd.len, name);
            inside(sd.p, sd.len, value);
            char *out = malloc(value.len ? value.len : 1); /* exactly the room promised */
            if (!out || siem_sd_unescape(value, out) > value.len)
                abort();
            free(out);
        }
        if (r < 0)
            abort();
    }
    if (r < 0)
        abort();
}

static void parse_at(const char *rec, size_t len, int64_t received_ns)
{
    struct siem_syslog s;
    const char *error = NULL;
    if (siem_syslog_parse(rec, len, received_ns, &s, &error) < 0) {
        if (!error || !*error)
            abort(); /* every rejection has a reason */
        return;
    }
    if (s.format != SIEM_SYSLOG_RFC3164 && s.format != SIEM_SYSLOG_RFC5424)
        abort();
    if (!siem_syslog_facility_name(s.facility) || !siem_syslog_severity_name(s.severity))
        abort();
    if (!s.msg.p)
        abort(); /* "never absent" */
    inside(rec, len, s.hostname);
    inside(rec, len, s.appname);
    inside(rec, len, s.procid);
    inside(rec, len, s.msgid);
    inside(rec, len, s.sd);
    inside(rec, len, s.msg);
    if (s.hostname.len > SIEM_SYSLOG_HOSTNAME_MAX || s.appname.len > SIEM_SYSLOG_APPNAME_MAX ||
        s.procid.len > SIEM_SYSLOG_PROCID_MAX || s.msgid.len > SIEM_SYSLOG_MSGID_MAX)
        abort();
    if (s.sd.p)
        walk_sd(s.sd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    parse_at((const char *)data, size, MID_2024);
    parse_at((const char *)data, size, EVE_2024);
    return 0;
}
