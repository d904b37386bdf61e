/* Answering event store queries: a newest-first scan of the log index,
 * filters cheapest first, and a reply built within a byte budget. */
#include "query.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "field.h"

/* Room kept for the reply's closing part:
 * ],"count":N,"scanned":N,"truncated":false,"unreadable":N} with 20-digit
 * numbers is 96 bytes. */
#define TAIL_RESERVE 128

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Case-insensitive (ASCII) substring test; strcasestr is a GNU extension. */
static int contains_ci(const char *hay, size_t hlen, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= hlen && i <= hlen - n; i++) {
        size_t j = 0;
        while (j < n && lower((unsigned char)hay[i + j]) == lower((unsigned char)needle[j]))
            j++;
        if (j == n)
            return 1;
    }
    return 0;
}

static int fields_match(const struct store_query *q, const char *text, size_t len)
{
    cJSON *doc = cJSON_ParseWithLength(text, len);
    int ok = doc != NULL;
    for (size_t i = 0; ok && i < q->nfields; i++)
        ok = siem_field_equals(doc, q->fields[i].name, q->fields[i].value);
    cJSON_Delete(doc);
    return ok;
}

char *store_query_error(const char *msg, size_t budget, size_t *reply_len)
{
    char cut[512];
    /* Escaping can make the text up to six times longer (\u00XX). */
    size_t room = budget > 32 ? (budget - 32) / 6 : 0;
    if (room >= sizeof(cut))
        room = sizeof(cut) - 1;
    snprintf(cut, room + 1, "%s", msg);
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "error", cut)) {
        cJSON_Delete(o);
        return NULL;
    }
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (s && reply_len)
        *reply_len = strlen(s);
    return s;
}

/* Rounds ms down to a whole minute (also before 1970). */
static int64_t minute_floor(int64_t ms)
{
    int64_t m = ms / 60000;
    if (m * 60000 > ms)
        m--;
    return m * 60000;
}

/* "stats":"per_minute": counts from the index times, no payload read. */
static int stats_run(struct store_log *log, const struct store_query *q, size_t budget,
                     char **reply, size_t *reply_len)
{
    int64_t start = minute_floor(q->since_ms);
    size_t n = (size_t)((q->until_ms - start + 59999) / 60000);
    unsigned long *counts = calloc(n, sizeof(*counts));
    /* Each count is at most 20 digits and a comma. */
    size_t need = 96 + n * 21;
    char *out = need <= budget ? malloc(need) : NULL;
    if (!counts || !out) {
        free(counts);
        free(out);
        if (need > budget) {
            *reply =
                store_query_error("the per-minute counts do not fit the reply", budget, reply_len);
            return *reply ? 0 : -ENOMEM;
        }
        return -ENOMEM;
    }
    size_t scanned = 0;
    const struct store_rec *r;
    for (size_t i = 0; (r = store_log_newest(log, i)) != NULL; i++) {
        if (r->kind != q->kind)
            continue;
        scanned++;
        if (r->time_ms != STORE_NO_TIME && r->time_ms >= q->since_ms && r->time_ms < q->until_ms)
            counts[(r->time_ms - start) / 60000]++;
    }
    size_t len =
        (size_t)snprintf(out, need, "{\"stats\":\"per_minute\",\"start\":%lld,\"counts\":[",
                         (long long)(start / 1000));
    for (size_t i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, need - len, "%s%lu", i ? "," : "", counts[i]);
    len += (size_t)snprintf(out + len, need - len, "],\"scanned\":%zu}", scanned);
    free(counts);
    *reply = out;
    *reply_len = len;
    return 0;
}

int store_query_run(struct store_log *log, const struct store_query *q, size_t budget, char **reply,
                    size_t *reply_len)
{
    *reply = NULL;
    if (budget < STORE_QUERY_MIN_BUDGET)
        return -EINVAL;
    if (q->stats)
        return stats_run(log, q, budget, reply, reply_len);
    size_t max = store_log_record_max(log) + 1;
    char *rec = malloc(max);
    /* The reply never exceeds the budget, so that is all it can need. */
    char *out = malloc(budget + 1);
    if (!rec || !out) {
        free(rec);
        free(out);
        return -ENOMEM;
    }
    size_t len = (size_t)snprintf(out, budget + 1, "{\"results\":[");
    size_t count = 0, scanned = 0, unreadable = 0;
    int truncated = 0, failed = 0;
    const struct store_rec *r;
    for (size_t i = 0; (r = store_log_newest(log, i)) != NULL; i++) {
        if (r->kind != q->kind)
            continue;
        scanned++;
        /* The index answers the time range without touching the disk. */
        int has_range = q->since_ms != INT64_MIN || q->until_ms != INT64_MAX;
        if (has_range &&
            (r->time_ms == STORE_NO_TIME || r->time_ms < q->since_ms || r->time_ms >= q->until_ms))
            continue;
        int n = store_log_read(log, r, rec, max);
        if (n == -EBADMSG) {
            unreadable++;
            continue;
        }
        if (n < 0) {
            failed = n;
            break;
        }
        if (q->text && !contains_ci(rec, (size_t)n, q->text))
            continue;
        if (q->nfields && !fields_match(q, rec, (size_t)n))
            continue;
        /* A match beyond what the reply can carry: say so and stop. */
        if (count == q->limit || len + (count ? 1 : 0) + (size_t)n + TAIL_RESERVE > budget) {
            truncated = 1;
            break;
        }
        if (count)
            out[len++] = ',';
        memcpy(out + len, rec, (size_t)n);
        len += (size_t)n;
        count++;
    }
    free(rec);
    if (failed) {
        free(out);
        char msg[80];
        snprintf(msg, sizeof(msg), "reading the log failed (error %d)", failed);
        *reply = store_query_error(msg, budget, reply_len);
        return *reply ? 0 : -ENOMEM;
    }
    len += (size_t)snprintf(out + len, budget + 1 - len,
                            "],\"count\":%zu,\"scanned\":%zu,\"truncated\":%s,\"unreadable\":%zu}",
                            count, scanned, truncated ? "true" : "false", unreadable);
    *reply = out;
    *reply_len = len;
    return 0;
}

char *store_query_handle(struct store_log *log, const char *request, size_t len, size_t budget,
                         size_t *reply_len)
{
    if (budget < STORE_QUERY_MIN_BUDGET)
        return NULL;
    struct store_query q;
    char err[200];
    int rc = store_query_parse(request, len, &q, err, sizeof(err));
    if (rc == -ENOMEM)
        return NULL;
    if (rc < 0)
        return store_query_error(err, budget, reply_len);
    char *reply = NULL;
    rc = store_query_run(log, &q, budget, &reply, reply_len);
    store_query_free(&q);
    return rc == 0 ? reply : NULL;
}
