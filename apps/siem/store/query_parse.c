/* Parsing and validation of event store queries (query.h). */
#include "query.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "siemtime.h"

static int fail(char *err, size_t size, const char *fmt, ...)
{
    if (err && size) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, size, fmt, ap);
        va_end(ap);
    }
    return -EINVAL;
}

static char *dup_text(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* since/until: RFC 3339 text or epoch seconds (fractions allowed). */
static int parse_time(const cJSON *v, const char *key, int64_t *ms, char *err, size_t size)
{
    if (cJSON_IsString(v) && siem_time_parse_ms(v->valuestring, ms) == 0)
        return 0;
    /* Bounded (which also rules out NaN and infinities) so that the
     * milliseconds fit an int64 with room to spare; rounded down. */
    if (cJSON_IsNumber(v) && v->valuedouble > -1e15 && v->valuedouble < 1e15) {
        double x = v->valuedouble * 1000.0;
        *ms = (int64_t)x;
        if ((double)*ms > x)
            (*ms)--;
        return 0;
    }
    return fail(err, size, "%s must be an RFC 3339 time (2026-01-02T03:04:05Z) or epoch seconds",
                key);
}

/* A field's wanted value as text, the way siem_field_equals prints the
 * stored one: numbers in shortest integer or %.17g form, true/false. */
static int value_text(const cJSON *v, char *buf, size_t size)
{
    int n;
    if (cJSON_IsString(v))
        n = snprintf(buf, size, "%s", v->valuestring);
    else if (cJSON_IsNumber(v) && v->valuedouble == (double)(long long)v->valuedouble)
        n = snprintf(buf, size, "%lld", (long long)v->valuedouble);
    else if (cJSON_IsNumber(v))
        n = snprintf(buf, size, "%.17g", v->valuedouble);
    else if (cJSON_IsBool(v))
        n = snprintf(buf, size, "%s", cJSON_IsTrue(v) ? "true" : "false");
    else
        return -1;
    return n >= 0 && (size_t)n < size ? 0 : -1;
}

static int parse_fields(const cJSON *obj, struct store_query *q, char *err, size_t size)
{
    if (!cJSON_IsObject(obj))
        return fail(err, size, "fields must be an object of \"dotted.name\": \"value\"");
    const cJSON *f;
    cJSON_ArrayForEach(f, obj)
    {
        char text[512];
        if (q->nfields == STORE_QUERY_FIELDS_MAX)
            return fail(err, size, "fields: at most %d", STORE_QUERY_FIELDS_MAX);
        if (!f->string[0] || strlen(f->string) > 255)
            return fail(err, size, "fields: a name must have 1..255 characters");
        if (value_text(f, text, sizeof(text)) < 0)
            return fail(err, size,
                        "fields.%.64s must be a string, number or boolean (at most "
                        "511 characters)",
                        f->string);
        struct store_query_field *qf = &q->fields[q->nfields];
        qf->name = dup_text(f->string);
        qf->value = dup_text(text);
        q->nfields++;
        if (!qf->name || !qf->value)
            return -ENOMEM;
    }
    return 0;
}

static int parse_member(const cJSON *m, struct store_query *q, char *err, size_t size)
{
    const char *key = m->string;
    if (strcmp(key, "kind") == 0) {
        if (cJSON_IsString(m) && strcmp(m->valuestring, "events") == 0)
            q->kind = STORE_EVENT;
        else if (cJSON_IsString(m) && strcmp(m->valuestring, "alerts") == 0)
            q->kind = STORE_ALERT;
        else
            return fail(err, size, "kind must be \"events\" or \"alerts\"");
        return 0;
    }
    if (strcmp(key, "since") == 0)
        return parse_time(m, "since", &q->since_ms, err, size);
    if (strcmp(key, "until") == 0)
        return parse_time(m, "until", &q->until_ms, err, size);
    if (strcmp(key, "fields") == 0)
        return parse_fields(m, q, err, size);
    if (strcmp(key, "text") == 0) {
        if (!cJSON_IsString(m) || !m->valuestring[0])
            return fail(err, size, "text must be a non-empty string");
        free(q->text);
        return (q->text = dup_text(m->valuestring)) ? 0 : -ENOMEM;
    }
    if (strcmp(key, "limit") == 0) {
        double v = cJSON_IsNumber(m) ? m->valuedouble : 0;
        if (!(v >= 1 && v <= STORE_QUERY_LIMIT_MAX) || v != (double)(unsigned)v)
            return fail(err, size, "limit must be 1..%d", STORE_QUERY_LIMIT_MAX);
        q->limit = (unsigned)v;
        q->limit_given = 1;
        return 0;
    }
    if (strcmp(key, "cursor") == 0) {
        double v = cJSON_IsNumber(m) ? m->valuedouble : 0;
        if (!(v >= 1 && v <= STORE_QUERY_CURSOR_MAX) || v != (double)(uint64_t)v)
            return fail(err, size, "cursor must be a cursor from an earlier reply");
        q->cursor = (uint64_t)v;
        return 0;
    }
    if (strcmp(key, "acks") == 0) {
        if (!cJSON_IsBool(m))
            return fail(err, size, "acks must be true or false");
        q->acks = cJSON_IsTrue(m);
        return 0;
    }
    if (strcmp(key, "stats") == 0) {
        if (!cJSON_IsString(m) || strcmp(m->valuestring, "per_minute") != 0)
            return fail(err, size, "stats must be \"per_minute\"");
        q->stats = 1;
        return 0;
    }
    return fail(err, size,
                "unknown key \"%.64s\" (known: kind, since, until, fields, text, limit, cursor, "
                "acks, stats)",
                key);
}

/* A stats query is answered from the index alone: a bounded time range,
 * nothing that needs the payload. */
static int check_stats(const struct store_query *q, char *err, size_t size)
{
    if (q->nfields || q->text || q->limit_given || q->cursor || q->acks)
        return fail(err, size, "stats takes only kind, since and until");
    if (q->since_ms == INT64_MIN || q->until_ms == INT64_MAX)
        return fail(err, size, "stats needs since and until");
    if (q->until_ms - q->since_ms > (int64_t)STORE_STATS_MINUTES_MAX * 60000)
        return fail(err, size, "stats: since and until at most %d minutes apart",
                    STORE_STATS_MINUTES_MAX);
    return 0;
}

static int blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return 0;
    return 1;
}

int store_query_parse(const char *json, size_t len, struct store_query *q, char *err,
                      size_t errsize)
{
    memset(q, 0, sizeof(*q));
    q->kind = STORE_EVENT;
    q->since_ms = INT64_MIN;
    q->until_ms = INT64_MAX;
    q->limit = STORE_QUERY_LIMIT_DEFAULT;
    if (err && errsize)
        err[0] = '\0';
    if (!json || blank(json, len))
        return 0;
    cJSON *doc = cJSON_ParseWithLength(json, len);
    if (!doc)
        return fail(err, errsize, "the query is not valid JSON");
    int rc = 0;
    if (!cJSON_IsObject(doc))
        rc = fail(err, errsize, "the query must be a JSON object");
    const cJSON *m;
    for (m = doc->child; m && rc == 0; m = m->next)
        rc = parse_member(m, q, err, errsize);
    if (rc == 0 && q->since_ms >= q->until_ms)
        rc = fail(err, errsize, "since must be before until");
    if (rc == 0 && q->stats)
        rc = check_stats(q, err, errsize);
    if (rc == 0 && q->acks && q->kind != STORE_ALERT)
        rc = fail(err, errsize, "acks needs kind alerts");
    cJSON_Delete(doc);
    if (rc < 0)
        store_query_free(q);
    return rc;
}

void store_query_free(struct store_query *q)
{
    for (size_t i = 0; i < q->nfields; i++) {
        free(q->fields[i].name);
        free(q->fields[i].value);
    }
    free(q->text);
    q->nfields = 0;
    q->text = NULL;
}
