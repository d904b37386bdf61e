/* Syslog records to ECS event documents (docs/siem.md, "Event schema"). */
#include "normalise.h"

#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "evdoc.h"
#include "recognise.h"
#include "siemtime.h"
#include "syslog.h"
#include "utf8.h"

/* A document under construction: its fields, and the text some of them
 * point to (evdoc.h copies nothing). */
struct doc {
    struct evdoc ev;
    char timestamp[SIEM_TIME_LEN], created[SIEM_TIME_LEN];
    char addr[64];
    char *sd; /* log.syslog.structured_data as JSON, malloc'ed */
    int oom;
};

static void add_text(struct doc *d, const char *name, const char *p, size_t len)
{
    evdoc_set(&d->ev, name, EVDOC_TEXT, p, len, 0);
}

static void add_str(struct doc *d, const char *name, const char *s)
{
    if (s)
        add_text(d, name, s, strlen(s));
}

static void add_num(struct doc *d, const char *name, long long v)
{
    evdoc_set(&d->ev, name, EVDOC_NUM, NULL, 0, v);
}

static void add_tag(struct doc *d, const char *tag)
{
    evdoc_set(&d->ev, "tags", EVDOC_TAG, tag, strlen(tag), 0);
}

static void add_time(struct doc *d, const char *name, int64_t ns, char *buf)
{
    if (siem_time_format_ns(ns, buf) == 0)
        add_str(d, name, buf);
}

/* The fields every event has: ids, times, where it came from. */
static void common(struct doc *d, const struct siem_reception *rx, const char *raw, size_t len,
                   int64_t when, int pipeline_error, struct siem_normalised *out)
{
    const char *ip = rx->sender_ip;
    size_t iplen = memchr(ip, '\0', sizeof(rx->sender_ip)) ? strlen(ip) : 0;
    siem_event_id(rx->transport, iplen ? ip : "", rx->sender_port, rx->received_ns, raw, len,
                  out->id);
    add_time(d, "@timestamp", when, d->timestamp);
    add_str(d, "event.id", out->id);
    add_time(d, "event.created", rx->received_ns, d->created);
    add_str(d, "event.kind", pipeline_error ? "pipeline_error" : "event");
    /* "IP:port", with the IPv6 address in brackets as in URLs (RFC 3986). */
    char *addr = d->addr;
    int v6 = memchr(ip, ':', iplen) != NULL;
    if (iplen < sizeof(d->addr) - 10) {
        size_t n = 0;
        if (v6)
            addr[n++] = '[';
        memcpy(addr + n, ip, iplen);
        n += iplen;
        if (v6)
            addr[n++] = ']';
        addr[n++] = ':';
        unsigned port = rx->sender_port, div = 10000;
        while (div > 1 && port / div == 0)
            div /= 10;
        for (; div > 0; div /= 10)
            addr[n++] = (char)('0' + port / div % 10);
        add_text(d, "log.source.address", addr, n);
    }
    add_str(d, "input.type", rx->transport);
}

/* The cJSON object at parent.name, created when missing. */
static cJSON *sd_obj(cJSON *parent, const char *name)
{
    if (!parent)
        return NULL;
    cJSON *o = cJSON_GetObjectItemCaseSensitive(parent, name);
    return o ? o : cJSON_AddObjectToObject(parent, name);
}

/* {"SD-ID": {"PARAM": "value"}}; a repeated SD-ID merges into the first,
 * a repeated PARAM-NAME turns the value into an array of all values. Few
 * records have structured data, and merging wants lookups: built as a
 * cJSON tree and printed into d->sd. */
static void structured_data(struct doc *d, struct siem_str sd)
{
    struct siem_sd_cursor c;
    struct siem_str id, name, value;
    char key[SIEM_SD_NAME_MAX + 1];
    cJSON *all = cJSON_CreateObject();
    siem_sd_begin(&c, sd.p, sd.p + sd.len);
    while (all && siem_sd_next_element(&c, &id) == 1) {
        memcpy(key, id.p, id.len);
        key[id.len] = '\0';
        cJSON *el = sd_obj(all, key);
        while (siem_sd_next_param(&c, &name, &value) == 1) {
            char *raw = malloc(value.len + 1), *text = NULL;
            if (raw)
                text = siem_utf8_dup(raw, siem_sd_unescape(value, raw));
            free(raw);
            cJSON *s = text ? cJSON_CreateString(text) : NULL;
            free(text);
            if (!s || !el) {
                cJSON_Delete(s);
                d->oom = 1;
                continue;
            }
            memcpy(key, name.p, name.len);
            key[name.len] = '\0';
            cJSON *old = cJSON_GetObjectItemCaseSensitive(el, key), *arr = NULL;
            if (!old) {
                if (!cJSON_AddItemToObject(el, key, s))
                    arr = s; /* to be freed below */
            } else if (cJSON_IsArray(old)) {
                cJSON_AddItemToArray(old, s);
            } else if ((arr = cJSON_CreateArray()) != NULL) {
                /* In place of the single value: an array of both. */
                cJSON_DetachItemViaPointer(el, old);
                cJSON_AddItemToArray(arr, old);
                cJSON_AddItemToArray(arr, s);
                if (cJSON_AddItemToObject(el, key, arr))
                    arr = NULL;
            } else {
                arr = s;
            }
            if (arr) {
                cJSON_Delete(arr);
                d->oom = 1;
            }
        }
    }
    d->sd = all && !d->oom ? cJSON_PrintUnformatted(all) : NULL;
    cJSON_Delete(all);
    if (d->sd)
        evdoc_set(&d->ev, "log.syslog.structured_data", EVDOC_JSON, d->sd, strlen(d->sd), 0);
    else
        d->oom = 1;
}

/* A PROCID that is a process id becomes process.pid. */
static int pid_of(struct siem_str procid, long long *pid)
{
    if (!procid.p || procid.len == 0 || procid.len > 9)
        return 0;
    long long v = 0;
    for (size_t i = 0; i < procid.len; i++) {
        if (procid.p[i] < '0' || procid.p[i] > '9')
            return 0;
        v = v * 10 + (procid.p[i] - '0');
    }
    *pid = v;
    return 1;
}

/* Writes value at the dotted path name ("user.target.name"), replacing
 * what is there: a number for ports and process ids, else text. */
static void put(struct doc *d, const char *name, const char *p, size_t len)
{
    long long v = 0;
    int digits = len > 0 && len <= 9;
    for (size_t i = 0; digits && i < len; i++) {
        digits = p[i] >= '0' && p[i] <= '9';
        v = v * 10 + (p[i] - '0');
    }
    const char *last = strrchr(name, '.');
    if (digits && last && (strcmp(last, ".port") == 0 || strcmp(last, ".pid") == 0))
        add_num(d, name, v);
    else
        add_text(d, name, p, len);
}

static void parsed(struct doc *d, const struct siem_syslog *s, struct siem_recognised *r)
{
    if (s->hostname.p)
        add_text(d, "host.hostname", s->hostname.p, s->hostname.len);
    long long pid;
    if (s->appname.p)
        add_text(d, "process.name", s->appname.p, s->appname.len);
    if (pid_of(s->procid, &pid))
        add_num(d, "process.pid", pid);
    for (int i = 0; r->category && i < r->fields.n; i++)
        put(d, r->fields.f[i].name, r->fields.f[i].p, r->fields.f[i].len);
    add_text(d, "message", s->msg.p, s->msg.len);
    add_num(d, "log.syslog.facility.code", s->facility);
    add_str(d, "log.syslog.facility.name", siem_syslog_facility_name(s->facility));
    add_num(d, "log.syslog.severity.code", s->severity);
    add_str(d, "log.syslog.severity.name", siem_syslog_severity_name(s->severity));
    if (s->appname.p)
        add_text(d, "log.syslog.appname", s->appname.p, s->appname.len);
    if (s->msgid.p)
        add_text(d, "log.syslog.msgid", s->msgid.p, s->msgid.len);
    if (s->procid.p)
        add_text(d, "log.syslog.procid", s->procid.p, s->procid.len);
    if (s->format == SIEM_SYSLOG_RFC5424)
        add_num(d, "log.syslog.version", s->version);
    if (s->sd.p)
        structured_data(d, s->sd);
    add_tag(d, s->format == SIEM_SYSLOG_RFC5424 ? "rfc5424" : "rfc3164");
}

static int finish(struct doc *d, struct siem_normalised *out, const char *category)
{
    if (!d->oom)
        out->json = evdoc_json(&d->ev, NULL);
    free(d->sd);
    if (!out->json)
        return -1;
    siem_event_subject(out->pipeline_error, category, out->subject, sizeof(out->subject));
    return 0;
}

static void start(struct doc *d, struct siem_normalised *out)
{
    memset(out, 0, sizeof(*out));
    evdoc_init(&d->ev);
    d->sd = NULL;
    d->oom = 0;
}

int siem_normalise_error(const struct siem_reception *rx, const char *raw, size_t len,
                         const char *reason, struct siem_normalised *out)
{
    struct doc d;
    start(&d, out);
    out->pipeline_error = 1;
    common(&d, rx, raw, len, rx->received_ns, 1, out);
    add_text(&d, "message", raw, len);
    add_str(&d, "error.message", reason);
    add_tag(&d, "unparsed");
    if (rx->truncated)
        add_tag(&d, "truncated");
    return finish(&d, out, NULL);
}

int siem_normalise(const struct siem_reception *rx, const char *raw, size_t len,
                   struct siem_normalised *out)
{
    struct siem_syslog s;
    const char *why;
    if (siem_syslog_parse(raw, len, rx->received_ns, &s, &why))
        return siem_normalise_error(rx, raw, len, why, out);
    struct siem_recognised r;
    siem_recognise(s.appname.p, s.appname.len, s.msg.p, s.msg.len, &r);
    struct doc d;
    start(&d, out);
    common(&d, rx, raw, len, s.has_time ? s.time_ns : rx->received_ns, 0, out);
    parsed(&d, &s, &r);
    if (rx->truncated)
        add_tag(&d, "truncated");
    return finish(&d, out, r.category);
}

void siem_normalised_free(struct siem_normalised *out)
{
    free(out->json);
    out->json = NULL;
}
