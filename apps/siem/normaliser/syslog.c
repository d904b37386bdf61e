/* Syslog record parsing: RFC 5424 strictly, RFC 3164 as senders really
 * write it (docs/siem.md, "Normaliser parsing"). */
#include "syslog.h"

#include "siemtime.h"
#include "stamp.h"

/* "<PRI>": 1 to 3 digits, at most 191 (facility 23, severity 7). */
static int parse_pri(const char **p, const char *end, int *value)
{
    const char *s = *p;
    if (s >= end || *s != '<')
        return -1;
    s++;
    int v = 0, n = 0;
    while (s < end && *s >= '0' && *s <= '9' && n < 3) {
        v = v * 10 + (*s++ - '0');
        n++;
    }
    if (n == 0 || s >= end || *s != '>' || v > 191)
        return -1;
    *p = s + 1;
    *value = v;
    return 0;
}

static struct siem_str slice(const char *s, const char *e)
{
    struct siem_str r = {s, (size_t)(e - s)};
    return r;
}

/* MSG without the UTF-8 byte order mark RFC 5424 6.4 puts before it. */
static struct siem_str message(const char *p, const char *end)
{
    if (end - p >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF)
        p += 3;
    return slice(p, end);
}

/* One RFC 5424 header field of 1..max PRINTUSASCII and its trailing SP;
 * the NILVALUE "-" leaves out absent. */
static int header_field(const char **p, const char *end, size_t max, struct siem_str *out)
{
    const char *s = *p, *q = s;
    while (q < end && (unsigned char)*q >= 33 && (unsigned char)*q <= 126)
        q++;
    size_t n = (size_t)(q - s);
    if (n == 0 || n > max || q >= end || *q != ' ')
        return -1;
    *p = q + 1;
    if (n == 1 && *s == '-')
        out->p = NULL, out->len = 0;
    else
        *out = slice(s, q);
    return 0;
}

/* Checks the elements starting at *p and moves *p past the last one. */
static int structured_data(const char **p, const char *end)
{
    struct siem_sd_cursor c;
    struct siem_str id, name, value;
    siem_sd_begin(&c, *p, end);
    while (c.p < end && *c.p == '[') {
        if (siem_sd_next_element(&c, &id) != 1)
            return -1;
        int r;
        while ((r = siem_sd_next_param(&c, &name, &value)) == 1)
            ;
        if (r < 0)
            return -1;
    }
    *p = c.p;
    return 0;
}

static int parse_5424(const char *p, const char *end, struct siem_syslog *out, const char **error)
{
    int v = 0;
    while (*p != ' ') /* the caller checked: 1-3 digits, then SP */
        v = v * 10 + (*p++ - '0');
    p++;
    out->format = SIEM_SYSLOG_RFC5424;
    out->version = v;
    if (end - p >= 2 && p[0] == '-' && p[1] == ' ') {
        p += 2;
    } else {
        const char *stop;
        if (siem_time_scan_ns(p, end, &stop, &out->time_ns) || stop >= end || *stop != ' ') {
            *error = "RFC 5424 TIMESTAMP is malformed";
            return -1;
        }
        out->has_time = 1;
        p = stop + 1;
    }
    if (header_field(&p, end, SIEM_SYSLOG_HOSTNAME_MAX, &out->hostname) ||
        header_field(&p, end, SIEM_SYSLOG_APPNAME_MAX, &out->appname) ||
        header_field(&p, end, SIEM_SYSLOG_PROCID_MAX, &out->procid) ||
        header_field(&p, end, SIEM_SYSLOG_MSGID_MAX, &out->msgid)) {
        *error = "RFC 5424 header field is malformed (HOSTNAME, APP-NAME, PROCID or MSGID)";
        return -1;
    }
    const char *sd = p;
    if (p < end && *p == '-') {
        p++;
    } else if (p >= end || *p != '[' || structured_data(&p, end)) {
        *error = "RFC 5424 STRUCTURED-DATA is malformed";
        return -1;
    } else {
        out->sd = slice(sd, p);
    }
    if (p < end && *p != ' ') {
        *error = "RFC 5424 STRUCTURED-DATA is not followed by a space";
        return -1;
    }
    out->msg = message(p < end ? p + 1 : p, end);
    return 0;
}

/* An RFC 3164 TAG as senders write it: a name of printable characters but
 * ':', '[' and ']', an optional "[pid]", then ':' and a space (or the end
 * of the line). The colon rule is what tells "sshd[1]: x" from a hostname
 * like "fe80::1" or a message that merely contains a colon. */
static int tag(const char *p, const char *end, struct siem_syslog *out, const char **after)
{
    const char *s = p;
    while (p < end && (unsigned char)*p > 32 && (unsigned char)*p < 127 && *p != ':' && *p != '[' &&
           *p != ']')
        p++;
    struct siem_str name = slice(s, p), pid = {NULL, 0};
    if (name.len == 0 || name.len > SIEM_SYSLOG_APPNAME_MAX)
        return 0;
    if (p < end && *p == '[') {
        const char *ps = ++p;
        while (p < end && *p != ']' && (unsigned char)*p > 32 && (unsigned char)*p < 127)
            p++;
        if (p >= end || *p != ']' || p == ps || (size_t)(p - ps) > SIEM_SYSLOG_PROCID_MAX)
            return 0;
        pid = slice(ps, p++);
    }
    if (p >= end || *p != ':' || (p + 1 < end && p[1] != ' '))
        return 0;
    out->appname = name;
    out->procid = pid;
    *after = p + 1 < end ? p + 2 : p + 1;
    return 1;
}

static void parse_3164(const char *p, const char *end, int64_t received_ns, struct siem_syslog *out)
{
    const char *stop, *after;
    out->format = SIEM_SYSLOG_RFC3164;
    /* rsyslog's RSYSLOG_ForwardFormat writes an RFC 3339 stamp instead. */
    if (siem_stamp_rfc3164(p, end, received_ns, &stop, &out->time_ns) == 0 ||
        (siem_time_scan_ns(p, end, &stop, &out->time_ns) == 0 && (stop == end || *stop == ' '))) {
        out->has_time = 1;
        p = stop < end ? stop + 1 : stop;
        /* A HOSTNAME follows, except in lines written to the local socket
         * (logger's default there: "<13>Dec  1 03:59:52 root: text"). */
        if (!tag(p, end, out, &after)) {
            const char *h = p;
            while (p < end && *p != ' ')
                p++;
            if (p > h && (size_t)(p - h) <= SIEM_SYSLOG_HOSTNAME_MAX) {
                out->hostname = slice(h, p);
                if (p < end)
                    p++;
            } else {
                p = h;
            }
        }
    }
    /* Without a time stamp RFC 3164 4.3.3 makes the whole rest the MSG;
     * a leading TAG is still worth taking. */
    if (tag(p, end, out, &after))
        p = after;
    out->msg = message(p, end);
}

int siem_syslog_parse(const char *rec, size_t len, int64_t received_ns, struct siem_syslog *out,
                      const char **error)
{
    static const struct siem_syslog empty;
    *out = empty;
    *error = NULL;
    while (len > 0 && (rec[len - 1] == '\n' || rec[len - 1] == '\r' || rec[len - 1] == '\0'))
        len--;
    const char *p = rec, *end = rec + len;
    int pri;
    if (parse_pri(&p, end, &pri)) {
        *error = "no valid <PRI> at the start of the record";
        return -1;
    }
    out->facility = pri / 8;
    out->severity = pri % 8;
    /* VERSION SP: a nonzero digit and at most two more. */
    const char *q = p;
    if (q < end && *q >= '1' && *q <= '9') {
        while (q < end && q - p < 3 && *q >= '0' && *q <= '9')
            q++;
        if (q < end && *q == ' ')
            return parse_5424(p, end, out, error);
    }
    parse_3164(p, end, received_ns, out);
    return 0;
}

const char *siem_syslog_facility_name(int code)
{
    static const char *const names[24] = {
        "kern",   "user",   "mail",     "daemon", "auth",   "syslog",   "lpr",     "news",
        "uucp",   "cron",   "authpriv", "ftp",    "ntp",    "security", "console", "solaris-cron",
        "local0", "local1", "local2",   "local3", "local4", "local5",   "local6",  "local7",
    };
    return code >= 0 && code < 24 ? names[code] : NULL;
}

const char *siem_syslog_severity_name(int code)
{
    static const char *const names[8] = {"emerg",   "alert",  "crit", "err",
                                         "warning", "notice", "info", "debug"};
    return code >= 0 && code < 8 ? names[code] : NULL;
}
