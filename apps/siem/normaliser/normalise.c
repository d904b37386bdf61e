/* Syslog records to ECS event documents (docs/siem.md, "Event schema"). */
#include "normalise.h"

#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "recognise.h"
#include "siemtime.h"
#include "syslog.h"
#include "utf8.h"

/* A document under construction; any failed allocation sets oom, checked
 * once at the end instead of after every call. */
struct doc {
    cJSON *root;
    int oom;
};

static cJSON *check(struct doc *d, cJSON *item)
{
    if (!item)
        d->oom = 1;
    return item;
}

/* The object parent.name, created when missing. */
static cJSON *obj(struct doc *d, cJSON *parent, const char *name)
{
    if (!parent)
        return NULL;
    cJSON *o = cJSON_GetObjectItemCaseSensitive(parent, name);
    if (o)
        return o;
    return check(d, cJSON_AddObjectToObject(parent, name));
}

static void add_text(struct doc *d, cJSON *parent, const char *name, const char *p, size_t len)
{
    if (!parent)
        return;
    char *s = siem_utf8_dup(p, len);
    if (!s || !cJSON_AddStringToObject(parent, name, s))
        d->oom = 1;
    free(s);
}

static void add_str(struct doc *d, cJSON *parent, const char *name, const char *s)
{
    if (parent && s)
        add_text(d, parent, name, s, strlen(s));
}

static void add_num(struct doc *d, cJSON *parent, const char *name, double v)
{
    if (parent)
        check(d, cJSON_AddNumberToObject(parent, name, v));
}

static void add_tag(struct doc *d, const char *tag)
{
    cJSON *tags = cJSON_GetObjectItemCaseSensitive(d->root, "tags");
    if (!tags)
        tags = check(d, cJSON_AddArrayToObject(d->root, "tags"));
    cJSON *s = tags ? check(d, cJSON_CreateString(tag)) : NULL;
    if (s && !cJSON_AddItemToArray(tags, s)) {
        cJSON_Delete(s);
        d->oom = 1;
    }
}

static void add_time(struct doc *d, cJSON *parent, const char *name, int64_t ns)
{
    char t[SIEM_TIME_LEN];
    if (siem_time_format_ns(ns, t) == 0)
        add_str(d, parent, name, t);
}

/* The fields every event has: ids, times, where it came from. */
static void common(struct doc *d, const struct siem_reception *rx, const char *raw, size_t len,
                   int64_t when, int pipeline_error, struct siem_normalised *out)
{
    const char *ip = rx->sender_ip;
    size_t iplen = memchr(ip, '\0', sizeof(rx->sender_ip)) ? strlen(ip) : 0;
    siem_event_id(rx->transport, iplen ? ip : "", rx->sender_port, rx->received_ns, raw, len,
                  out->id);
    add_time(d, d->root, "@timestamp", when);
    cJSON *event = obj(d, d->root, "event");
    add_str(d, event, "id", out->id);
    add_time(d, event, "created", rx->received_ns);
    add_str(d, event, "kind", pipeline_error ? "pipeline_error" : "event");
    /* "IP:port", with the IPv6 address in brackets as in URLs (RFC 3986). */
    char addr[64];
    int v6 = memchr(ip, ':', iplen) != NULL;
    if (iplen < sizeof(addr) - 10) {
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
        add_text(d, obj(d, obj(d, d->root, "log"), "source"), "address", addr, n);
    }
    add_str(d, obj(d, d->root, "input"), "type", rx->transport);
}

/* {"SD-ID": {"PARAM": "value"}}; a repeated SD-ID merges into the first,
 * a repeated PARAM-NAME turns the value into an array of all values. */
static void structured_data(struct doc *d, cJSON *syslog, struct siem_str sd)
{
    struct siem_sd_cursor c;
    struct siem_str id, name, value;
    char key[SIEM_SD_NAME_MAX + 1];
    cJSON *all = obj(d, syslog, "structured_data");
    siem_sd_begin(&c, sd.p, sd.p + sd.len);
    while (all && siem_sd_next_element(&c, &id) == 1) {
        memcpy(key, id.p, id.len);
        key[id.len] = '\0';
        cJSON *el = obj(d, all, key);
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
}

/* A PROCID that is a process id becomes process.pid. */
static int pid_of(struct siem_str procid, double *pid)
{
    if (!procid.p || procid.len == 0 || procid.len > 9)
        return 0;
    long v = 0;
    for (size_t i = 0; i < procid.len; i++) {
        if (procid.p[i] < '0' || procid.p[i] > '9')
            return 0;
        v = v * 10 + (procid.p[i] - '0');
    }
    *pid = (double)v;
    return 1;
}

/* Writes value at the dotted path name ("user.target.name"), replacing
 * what is there: a number for ports and process ids, else text. */
static void put(struct doc *d, const char *name, const char *p, size_t len)
{
    char path[64];
    size_t n = strlen(name);
    if (n >= sizeof(path))
        return;
    memcpy(path, name, n + 1);
    cJSON *parent = d->root;
    char *key = path, *dot;
    while ((dot = strchr(key, '.')) != NULL) {
        *dot = '\0';
        cJSON *o = cJSON_GetObjectItemCaseSensitive(parent, key);
        if (o && !cJSON_IsObject(o))
            return;
        parent = obj(d, parent, key);
        if (!parent)
            return;
        key = dot + 1;
    }
    cJSON_DeleteItemFromObjectCaseSensitive(parent, key);
    double v = 0;
    int digits = len > 0 && len <= 9;
    for (size_t i = 0; digits && i < len; i++) {
        digits = p[i] >= '0' && p[i] <= '9';
        v = v * 10 + (p[i] - '0');
    }
    const char *last = strrchr(name, '.');
    if (digits && last && (strcmp(last, ".port") == 0 || strcmp(last, ".pid") == 0))
        add_num(d, parent, key, v);
    else
        add_text(d, parent, key, p, len);
}

static void parsed(struct doc *d, const struct siem_syslog *s, struct siem_recognised *r)
{
    cJSON *root = d->root;
    obj(d, root, "event");
    if (s->hostname.p)
        add_text(d, obj(d, root, "host"), "hostname", s->hostname.p, s->hostname.len);
    double pid;
    if (s->appname.p)
        add_text(d, obj(d, root, "process"), "name", s->appname.p, s->appname.len);
    if (pid_of(s->procid, &pid))
        add_num(d, obj(d, root, "process"), "pid", pid);
    for (int i = 0; r->category && i < r->fields.n; i++)
        put(d, r->fields.f[i].name, r->fields.f[i].p, r->fields.f[i].len);
    add_text(d, root, "message", s->msg.p, s->msg.len);
    cJSON *syslog = obj(d, obj(d, root, "log"), "syslog");
    cJSON *fac = obj(d, syslog, "facility"), *sev = obj(d, syslog, "severity");
    add_num(d, fac, "code", s->facility);
    add_str(d, fac, "name", siem_syslog_facility_name(s->facility));
    add_num(d, sev, "code", s->severity);
    add_str(d, sev, "name", siem_syslog_severity_name(s->severity));
    if (s->appname.p)
        add_text(d, syslog, "appname", s->appname.p, s->appname.len);
    if (s->msgid.p)
        add_text(d, syslog, "msgid", s->msgid.p, s->msgid.len);
    if (s->procid.p)
        add_text(d, syslog, "procid", s->procid.p, s->procid.len);
    if (s->format == SIEM_SYSLOG_RFC5424)
        add_num(d, syslog, "version", s->version);
    if (s->sd.p)
        structured_data(d, syslog, s->sd);
    add_tag(d, s->format == SIEM_SYSLOG_RFC5424 ? "rfc5424" : "rfc3164");
}

static int finish(struct doc *d, struct siem_normalised *out, const char *category)
{
    if (!d->oom)
        out->json = cJSON_PrintUnformatted(d->root);
    cJSON_Delete(d->root);
    if (!out->json)
        return -1;
    siem_event_subject(out->pipeline_error, category, out->subject, sizeof(out->subject));
    return 0;
}

static int start(struct doc *d, struct siem_normalised *out)
{
    memset(out, 0, sizeof(*out));
    d->oom = 0;
    d->root = cJSON_CreateObject();
    return d->root ? 0 : -1;
}

int siem_normalise_error(const struct siem_reception *rx, const char *raw, size_t len,
                         const char *reason, struct siem_normalised *out)
{
    struct doc d;
    if (start(&d, out))
        return -1;
    out->pipeline_error = 1;
    common(&d, rx, raw, len, rx->received_ns, 1, out);
    add_text(&d, d.root, "message", raw, len);
    add_str(&d, obj(&d, d.root, "error"), "message", reason);
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
    if (start(&d, out))
        return -1;
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
