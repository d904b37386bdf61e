/* Answering event store queries: a newest-first scan of the log index
 * alongside the log's writer, filters cheapest first, and a reply built
 * within a byte budget and a time budget. */
#include "query.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "field.h"
#include "query_acks.h"

/* Room kept for the reply's closing part:
 * ],"count":N,"scanned":N,"truncated":false,"unreadable":N,"cursor":N}
 * with 20-digit numbers is 127 bytes. */
#define TAIL_RESERVE 160

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

/* Lets the other threads run; 1 when the time budget is spent. */
static int pause_spent(const struct store_query_env *env, int64_t deadline)
{
    if (env->yield)
        env->yield();
    return env->now_ms && env->now_ms() >= deadline;
}

/* "stats":"per_minute": counts from the index times, no payload read. */
static int stats_run(struct store_reader *rd, const struct store_query_env *env,
                     const struct store_query *q, size_t budget, char **reply, size_t *reply_len)
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
    /* Counts are not cut short by the time budget (a partial count would
     * read as a quiet minute); the index alone is quick to walk. */
    size_t scanned = 0;
    struct store_rec r;
    for (uint64_t ord = store_reader_end(rd, UINT64_MAX); ord-- > 0;) {
        if (store_reader_entry(rd, ord, &r) < 0)
            break;
        if (ord % STORE_QUERY_YIELD_INDEX == 0 && env->yield)
            env->yield();
        if (r.kind != q->kind)
            continue;
        scanned++;
        if (r.time_ms != STORE_NO_TIME && r.time_ms >= q->since_ms && r.time_ms < q->until_ms)
            counts[(r.time_ms - start) / 60000]++;
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

/* The newest-first scan of a records query into out (len bytes so far). */
struct scan {
    size_t len, count, scanned, unreadable;
    int truncated, failed;
    uint64_t cursor; /* when truncated: go on below this seq */
};

static void scan(struct store_reader *rd, const struct store_query_env *env,
                 const struct store_query *q, const struct store_acks *acks, int64_t deadline,
                 size_t budget, char *out, char *rec, size_t max, struct scan *s)
{
    int has_range = q->since_ms != INT64_MIN || q->until_ms != INT64_MAX;
    uint64_t last = 0;  /* seq of the last record looked at; 0: none yet */
    int read_last = 0;  /* its payload was read (the costly step) */
    unsigned cheap = 0; /* records looked at in the index only since a pause */
    for (uint64_t ord = store_reader_end(rd, q->cursor ? q->cursor : UINT64_MAX); ord-- > 0;) {
        /* Cooperative threads: pause often, so the consumers appending
         * to the log keep running, and stop when the time is spent. At
         * least one record is looked at, so a cursor always moves on. */
        if (last && (read_last || ++cheap % STORE_QUERY_YIELD_INDEX == 0) &&
            pause_spent(env, deadline)) {
            s->truncated = 1;
            s->cursor = last;
            return;
        }
        struct store_rec r;
        if (store_reader_entry(rd, ord, &r) < 0)
            return; /* reclaimed meanwhile, and so is everything older */
        last = r.seq;
        read_last = 0;
        if (r.kind != q->kind)
            continue;
        s->scanned++;
        /* The index answers the time range without touching the disk. */
        if (has_range &&
            (r.time_ms == STORE_NO_TIME || r.time_ms < q->since_ms || r.time_ms >= q->until_ms))
            continue;
        read_last = 1;
        int n = store_reader_read(rd, ord, &r, rec, max);
        if (n == -ENOENT)
            return;
        if (n == -EBADMSG) {
            s->unreadable++;
            continue;
        }
        if (n < 0) {
            s->failed = n;
            return;
        }
        if (q->text && !contains_ci(rec, (size_t)n, q->text))
            continue;
        if (q->nfields && !fields_match(q, rec, (size_t)n))
            continue;
        /* With acks, the alert's "acknowledged" goes in before its
         * closing brace. */
        char member[STORE_ACKS_MEMBER_MAX];
        long at = -1;
        int comma = 1;
        size_t extra = 0;
        if (acks && (at = store_acks_splice_at(rec, (size_t)n, &comma)) >= 0)
            extra = store_acks_member(acks, &r, member) - (size_t)!comma;
        /* A match beyond what the reply can carry: say so and stop; the
         * next page starts with it. */
        if (s->count == q->limit ||
            s->len + (s->count ? 1 : 0) + (size_t)n + extra + TAIL_RESERVE > budget) {
            s->truncated = 1;
            s->cursor = s->count ? s->cursor : r.seq; /* alone too big: skip it */
            return;
        }
        if (s->count)
            out[s->len++] = ',';
        if (at < 0) {
            memcpy(out + s->len, rec, (size_t)n);
        } else {
            memcpy(out + s->len, rec, (size_t)at);
            memcpy(out + s->len + at, member + !comma, extra);
            memcpy(out + s->len + at + extra, rec + at, (size_t)n - (size_t)at);
        }
        s->len += (size_t)n + extra;
        s->count++;
        s->cursor = r.seq;
    }
}

int store_query_run(struct store_log *log, const struct store_query_env *env,
                    const struct store_query *q, size_t budget, char **reply, size_t *reply_len)
{
    static const struct store_query_env none;
    *reply = NULL;
    if (budget < STORE_QUERY_MIN_BUDGET)
        return -EINVAL;
    if (!env)
        env = &none;
    struct store_reader rd;
    if (store_reader_init(&rd, log, env->lock, env->unlock) < 0)
        return -ENOMEM;
    if (q->stats) {
        int rc = stats_run(&rd, env, q, budget, reply, reply_len);
        store_reader_free(&rd);
        return rc;
    }
    size_t max = store_log_record_max(log) + 1;
    char *rec = malloc(max);
    /* The reply never exceeds the budget, so that is all it can need. */
    char *out = malloc(budget + 1);
    if (!rec || !out) {
        free(rec);
        free(out);
        store_reader_free(&rd);
        return -ENOMEM;
    }
    struct scan s = {0};
    s.len = (size_t)snprintf(out, budget + 1, "{\"results\":[");
    int64_t deadline =
        env->now_ms && env->budget_ms > 0 ? env->now_ms() + env->budget_ms : INT64_MAX;
    struct store_acks acks = {0};
    if (q->acks && store_acks_collect(&rd, env, deadline, rec, max, &acks) < 0)
        s.failed = -ENOMEM;
    else
        scan(&rd, env, q, q->acks ? &acks : NULL, deadline, budget, out, rec, max, &s);
    store_acks_free(&acks);
    free(rec);
    store_reader_free(&rd);
    if (s.failed) {
        free(out);
        char msg[80];
        snprintf(msg, sizeof(msg), "reading the log failed (error %d)", s.failed);
        *reply = store_query_error(msg, budget, reply_len);
        return *reply ? 0 : -ENOMEM;
    }
    s.len += (size_t)snprintf(out + s.len, budget + 1 - s.len,
                              "],\"count\":%zu,\"scanned\":%zu,\"truncated\":%s,\"unreadable\":%zu",
                              s.count, s.scanned, s.truncated ? "true" : "false", s.unreadable);
    if (s.truncated)
        s.len += (size_t)snprintf(out + s.len, budget + 1 - s.len, ",\"cursor\":%llu",
                                  (unsigned long long)s.cursor);
    s.len += (size_t)snprintf(out + s.len, budget + 1 - s.len, "}");
    *reply = out;
    *reply_len = s.len;
    return 0;
}

char *store_query_handle(struct store_log *log, const struct store_query_env *env,
                         const char *request, size_t len, size_t budget, size_t *reply_len)
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
    rc = store_query_run(log, env, &q, budget, &reply, reply_len);
    store_query_free(&q);
    return rc == 0 ? reply : NULL;
}
