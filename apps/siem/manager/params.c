/* Request parameters of the manager's API (params.h). */
#include "params.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "siemtime.h"

#define DURATION_MAX_MS (10LL * 366 * 86400 * 1000)

static cJSON *fail(char *err, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
    return NULL;
}

int mgr_parse_duration(const char *text, int64_t *ms)
{
    int64_t total = 0;
    const char *p = text;
    if (!*p)
        return -1;
    while (*p) {
        int64_t n = 0;
        if (*p < '0' || *p > '9')
            return -1;
        while (*p >= '0' && *p <= '9') {
            n = n * 10 + (*p++ - '0');
            if (n > DURATION_MAX_MS / 1000)
                return -1;
        }
        int64_t unit = *p == 's'   ? 1000
                       : *p == 'm' ? 60000
                       : *p == 'h' ? 3600000
                       : *p == 'd' ? 86400000
                                   : 0;
        if (!unit)
            return -1;
        p++;
        total += n * unit;
        if (total > DURATION_MAX_MS)
            return -1;
    }
    *ms = total;
    return 0;
}

/* Epoch seconds: digits with an optional fraction, rounded down to ms. */
static int parse_epoch(const char *text, int64_t *ms)
{
    int64_t s = 0, frac = 0, scale = 1000;
    const char *p = text;
    if (*p < '0' || *p > '9')
        return -1;
    while (*p >= '0' && *p <= '9') {
        s = s * 10 + (*p++ - '0');
        if (s > 253402300799LL) /* 9999-12-31T23:59:59Z */
            return -1;
    }
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return -1;
        for (; *p >= '0' && *p <= '9'; p++)
            if (scale > 1)
                frac += (*p - '0') * (scale /= 10);
    }
    if (*p)
        return -1;
    *ms = s * 1000 + frac;
    return 0;
}

int mgr_parse_time(const char *text, int64_t now_ms, int64_t *ms)
{
    int64_t d;
    if (mgr_parse_duration(text, &d) == 0) {
        *ms = now_ms - d;
        return 0;
    }
    if (parse_epoch(text, ms) == 0)
        return 0;
    return siem_time_parse_ms(text, ms);
}

/* Field names as the events spell them: letters, digits, _ . @ - */
static int field_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 255 || s[0] == '.' || s[n - 1] == '.' || strstr(s, ".."))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '.' || *s == '@' || *s == '-'))
            return 0;
    return 1;
}

static int seen_before(const struct mgr_param *p, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (strcmp(p[j].key, p[i].key) == 0)
            return 1;
    return 0;
}

/* The parameter checks every endpoint shares: no repeats, not too many. */
static int common_checks(const struct mgr_param *p, size_t n, char *err, size_t size)
{
    if (n > MGR_PARAMS_MAX) {
        fail(err, size, "at most %d parameters", MGR_PARAMS_MAX);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (seen_before(p, i)) {
            fail(err, size, "parameter '%.64s' given twice", p[i].key);
            return -1;
        }
    return 0;
}

cJSON *mgr_query_from_params(const char *kind, const struct mgr_param *p, size_t n, int64_t now_ms,
                             char *err, size_t size)
{
    int alerts = strcmp(kind, "alerts") == 0;
    int64_t since = INT64_MIN, until = INT64_MAX;
    if (common_checks(p, n, err, size) < 0)
        return NULL;
    cJSON *q = cJSON_CreateObject();
    cJSON *fields = cJSON_CreateObject();
    if (!q || !fields) {
        cJSON_Delete(q);
        cJSON_Delete(fields);
        return fail(err, size, "out of memory");
    }
    cJSON_AddStringToObject(q, "kind", alerts ? "alerts" : "events");
    cJSON_AddItemToObject(q, "fields", fields);
    if (alerts)
        cJSON_AddStringToObject(fields, "event.kind", "alert");
    size_t nfields = 0;
    for (size_t i = 0; i < n; i++) {
        const char *k = p[i].key, *v = p[i].value ? p[i].value : "";
        if (strcmp(k, "since") == 0 || strcmp(k, "until") == 0) {
            int64_t *t = k[0] == 's' ? &since : &until;
            if (mgr_parse_time(v, now_ms, t) < 0 || *t < 0) {
                fail(err, size,
                     "%s must be an RFC 3339 time (2026-01-02T03:04:05Z), epoch seconds or a "
                     "duration ago (30s, 10m, 2h, 1d, 1h30m)",
                     k);
                goto bad;
            }
            cJSON_AddNumberToObject(q, k, (double)*t / 1000.0);
        } else if (strcmp(k, "text") == 0) {
            if (!v[0] || strlen(v) > MGR_TEXT_MAX) {
                fail(err, size, "text must have 1..%d bytes", MGR_TEXT_MAX);
                goto bad;
            }
            cJSON_AddStringToObject(q, "text", v);
        } else if (strcmp(k, "limit") == 0) {
            char *end;
            long l = strtol(v, &end, 10);
            if (!v[0] || *end || v[0] == '+' || v[0] == '-' || l < 1 || l > 1000) {
                fail(err, size, "limit must be 1..1000");
                goto bad;
            }
            cJSON_AddNumberToObject(q, "limit", (double)l);
        } else if (strcmp(k, "cursor") == 0) {
            char *end;
            unsigned long long c = strtoull(v, &end, 10);
            if (!v[0] || *end || v[0] < '0' || v[0] > '9' || c < 1 || c > (1ull << 53)) {
                fail(err, size, "cursor must be the cursor of an earlier reply");
                goto bad;
            }
            cJSON_AddNumberToObject(q, "cursor", (double)c);
        } else if (alerts && strcmp(k, "rule") == 0) {
            if (!v[0] || strlen(v) > 48) {
                fail(err, size, "rule must be a rule name (1..48 characters)");
                goto bad;
            }
            cJSON_AddStringToObject(fields, "rule.name", v);
        } else if (strchr(k, '.') && field_name_ok(k)) {
            if (++nfields > MGR_FIELDS_MAX) {
                fail(err, size, "at most %d field filters", MGR_FIELDS_MAX);
                goto bad;
            }
            if (strlen(v) > 511) {
                fail(err, size, "%.64s: a field value has at most 511 bytes", k);
                goto bad;
            }
            if (cJSON_GetObjectItemCaseSensitive(fields, k))
                cJSON_DeleteItemFromObjectCaseSensitive(fields, k);
            cJSON_AddStringToObject(fields, k, v);
        } else {
            fail(err, size,
                 "unknown parameter '%.64s' (known: since, until, text, limit, cursor%s, and "
                 "dotted "
                 "field names such as user.name=root)",
                 k, alerts ? ", rule" : "");
            goto bad;
        }
    }
    if (since != INT64_MIN && until != INT64_MAX && since >= until) {
        fail(err, size, "since must be before until");
        goto bad;
    }
    return q;
bad:
    cJSON_Delete(q);
    return NULL;
}

cJSON *mgr_stats_from_params(const struct mgr_param *p, size_t n, int64_t now_ms, char *err,
                             size_t size)
{
    const char *kind = "events";
    long minutes = MGR_STATS_MINUTES;
    if (common_checks(p, n, err, size) < 0)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const char *k = p[i].key, *v = p[i].value ? p[i].value : "";
        if (strcmp(k, "kind") == 0) {
            if (strcmp(v, "events") != 0 && strcmp(v, "alerts") != 0)
                return fail(err, size, "kind must be events or alerts");
            kind = v;
        } else if (strcmp(k, "minutes") == 0) {
            char *end;
            minutes = strtol(v, &end, 10);
            if (!v[0] || *end || v[0] == '+' || v[0] == '-' || minutes < 1 ||
                minutes > MGR_STATS_MAX)
                return fail(err, size, "minutes must be 1..%d", MGR_STATS_MAX);
        } else {
            return fail(err, size, "unknown parameter '%.64s' (known: kind, minutes)", k);
        }
    }
    /* The current minute is the last one counted. */
    int64_t start = (now_ms / 60000 - minutes + 1) * 60;
    cJSON *q = cJSON_CreateObject();
    if (!q)
        return fail(err, size, "out of memory");
    cJSON_AddStringToObject(q, "kind", kind);
    cJSON_AddStringToObject(q, "stats", "per_minute");
    cJSON_AddNumberToObject(q, "since", (double)start);
    cJSON_AddNumberToObject(q, "until", (double)(start + minutes * 60));
    return q;
}

int mgr_alert_id_ok(const char *id)
{
    size_t i;
    for (i = 0; id[i]; i++)
        if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
            return 0;
    return i == 32;
}

int mgr_token_equal(const char *want, const char *got)
{
    size_t wl = strlen(want), gl = strlen(got);
    if (wl == 0)
        return 0;
    unsigned diff = wl != gl;
    /* Every byte of got is compared against some byte of want, so the
     * time taken says nothing about where a difference is. */
    for (size_t i = 0; i < gl; i++)
        diff |= (unsigned char)got[i] ^ (unsigned char)want[i % wl];
    return diff == 0;
}

const char *mgr_bearer(const char *h)
{
    if (!h || strncasecmp(h, "Bearer ", 7) != 0)
        return NULL;
    h += 7;
    while (*h == ' ')
        h++;
    return *h ? h : NULL;
}
