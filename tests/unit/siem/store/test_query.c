/* Event store queries: parsing, filters, order, limits and the reply's
 * byte budget (apps/siem/store/query.c, query_parse.c). */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "fixtures.h"
#include "layout.h"
#include "query.h"

#define SS 512
#define NEVENTS 50
#define NALERTS 5
#define BUDGET (1u << 20)

static struct memdisk *disk;
static struct store_log *qlog;

/* Event n: created n minutes after 2026-01-01T00:00:00Z; root for every
 * third, port 1000 + n, tag "truncated" for every fifth, "MaGiC" in the
 * message of n % 10 == 7. */
static void setup(void)
{
    disk = memdisk_new(STORE_AREA_START + 8 * 65536, SS);
    qlog = fx_open(disk, 65536, NULL);
    char buf[1024], id[33];
    for (unsigned n = 0; n < NEVENTS; n++) {
        fx_id(n, id);
        int len = snprintf(
            buf, sizeof(buf),
            "{\"@timestamp\":\"2020-01-01T00:00:00Z\",\"event\":{\"id\":\"%s\",\"created\":"
            "\"2026-01-01T%02u:%02u:00Z\",\"action\":\"ssh_login\"},\"user\":{\"name\":\"%s\"},"
            "\"source\":{\"ip\":\"10.0.0.%u\",\"port\":%u},\"tags\":[%s],\"message\":\"event "
            "%u%s\"}",
            id, n / 60, n % 60, n % 3 == 0 ? "root" : "alice", n, 1000 + n,
            n % 5 == 0 ? "\"rfc3164\",\"truncated\"" : "\"rfc5424\"", n,
            n % 10 == 7 ? " MaGiC word" : "");
        ck_assert_int_eq(store_log_append(qlog, STORE_EVENT, buf, (size_t)len), 0);
        if (n % 10 == 4) {
            len = snprintf(buf, sizeof(buf),
                           "{\"@timestamp\":\"2026-01-01T00:%02u:30Z\",\"alert\":{\"id\":\"a-%u\"},"
                           "\"rule\":{\"name\":\"brute\"},\"message\":\"alert %u\"}",
                           n, n, n);
            ck_assert_int_eq(store_log_append(qlog, STORE_ALERT, buf, (size_t)len), 0);
        }
    }
    ck_assert_int_eq(store_log_commit(qlog), 0);
}

static void teardown(void)
{
    store_log_close(qlog);
    memdisk_free(disk);
}

/* Runs a query that must succeed with env; returns the parsed reply. */
static cJSON *ask_env(const struct store_query_env *env, const char *query, size_t budget)
{
    size_t len = 0;
    char *reply = store_query_handle(qlog, env, query, strlen(query), budget, &len);
    ck_assert_ptr_nonnull(reply);
    ck_assert_uint_eq(len, strlen(reply));
    ck_assert_uint_le(len, budget);
    cJSON *doc = cJSON_Parse(reply);
    ck_assert_msg(doc != NULL, "reply is not JSON: %s", reply);
    ck_assert_msg(cJSON_GetObjectItem(doc, "error") == NULL, "%s -> %s", query, reply);
    free(reply);
    return doc;
}

static cJSON *ask_budget(const char *query, size_t budget)
{
    return ask_env(NULL, query, budget);
}

static cJSON *ask(const char *query)
{
    return ask_budget(query, BUDGET);
}

static int num(const cJSON *doc, const char *key)
{
    const cJSON *v = cJSON_GetObjectItem(doc, key);
    ck_assert_msg(cJSON_IsNumber(v), "no number %s", key);
    return v->valueint;
}

static int is_truncated(const cJSON *doc)
{
    const cJSON *v = cJSON_GetObjectItem(doc, "truncated");
    ck_assert(cJSON_IsBool(v));
    return cJSON_IsTrue(v);
}

/* The event number of result i, from its message "event N...". */
static int result_n(const cJSON *doc, int i)
{
    const cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "results"), i);
    const cJSON *msg = cJSON_GetObjectItem(r, "message");
    ck_assert(cJSON_IsString(msg));
    int n = -1;
    ck_assert_int_eq(sscanf(msg->valuestring, "%*s %d", &n), 1);
    return n;
}

static void check_results(cJSON *doc, const int *want, int nwant)
{
    ck_assert_int_eq(num(doc, "count"), nwant);
    ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(doc, "results")), nwant);
    for (int i = 0; i < nwant; i++)
        ck_assert_int_eq(result_n(doc, i), want[i]);
    cJSON_Delete(doc);
}

START_TEST(everything_newest_first)
{
    cJSON *doc = ask("");
    ck_assert_int_eq(num(doc, "count"), NEVENTS);
    ck_assert_int_eq(num(doc, "scanned"), NEVENTS);
    ck_assert_int_eq(num(doc, "unreadable"), 0);
    ck_assert_int_eq(is_truncated(doc), 0);
    for (int i = 0; i < NEVENTS; i++)
        ck_assert_int_eq(result_n(doc, i), NEVENTS - 1 - i);
    cJSON_Delete(doc);
}
END_TEST

START_TEST(time_range)
{
    int want[10];
    for (int i = 0; i < 10; i++)
        want[i] = 19 - i;
    check_results(ask("{\"since\":\"2026-01-01T00:10:00Z\",\"until\":\"2026-01-01T00:20:00Z\"}"),
                  want, 10);
    /* The same range as epoch seconds, and with an offset. */
    check_results(ask("{\"since\":1767226200,\"until\":1767226800}"), want, 10);
    check_results(ask("{\"since\":\"2026-01-01T01:10:00+01:00\",\"until\":1767226800.0}"), want,
                  10);
    /* event.created wins over @timestamp (2020) for events. */
    cJSON *doc = ask("{\"until\":\"2021-01-01T00:00:00Z\"}");
    ck_assert_int_eq(num(doc, "count"), 0);
    cJSON_Delete(doc);
    int last[] = {49, 48};
    check_results(ask("{\"since\":\"2026-01-01T00:47:30Z\"}"), last, 2);
}
END_TEST

START_TEST(field_equality)
{
    cJSON *doc = ask("{\"fields\":{\"user.name\":\"root\"}}");
    ck_assert_int_eq(num(doc, "count"), 17); /* 0, 3, ..., 48 */
    ck_assert_int_eq(result_n(doc, 0), 48);
    ck_assert_int_eq(result_n(doc, 16), 0);
    cJSON_Delete(doc);
    int three[] = {3};
    check_results(ask("{\"fields\":{\"user.name\":\"root\",\"source.port\":1003}}"), three, 1);
    check_results(ask("{\"fields\":{\"user.name\":\"root\",\"source.port\":\"1003\"}}"), three, 1);
    check_results(ask("{\"fields\":{\"user.name\":\"alice\",\"source.port\":1003}}"), NULL, 0);
    /* An array field matches when one element does. */
    int tagged[] = {45, 40, 35, 30, 25, 20, 15, 10, 5, 0};
    check_results(ask("{\"fields\":{\"tags\":\"truncated\"}}"), tagged, 10);
    check_results(ask("{\"fields\":{\"source.ip\":\"10.0.0.7\",\"event.action\":\"ssh_login\"}}"),
                  (int[]){7}, 1);
    check_results(ask("{\"fields\":{\"no.such.field\":\"x\"}}"), NULL, 0);
}
END_TEST

START_TEST(text_search)
{
    int magic[] = {47, 37, 27, 17, 7};
    check_results(ask("{\"text\":\"magic\"}"), magic, 5);
    check_results(ask("{\"text\":\"MAGIC WORD\"}"), magic, 5);
    check_results(ask("{\"text\":\"magic\",\"fields\":{\"user.name\":\"root\"}}"), (int[]){27}, 1);
    check_results(ask("{\"text\":\"no such words\"}"), NULL, 0);
}
END_TEST

START_TEST(limit_and_truncated)
{
    cJSON *doc = ask("{\"limit\":3}");
    ck_assert_int_eq(is_truncated(doc), 1);
    check_results(doc, (int[]){49, 48, 47}, 3);
    doc = ask("{\"limit\":50}");
    ck_assert_int_eq(is_truncated(doc), 0);
    ck_assert_int_eq(num(doc, "count"), 50);
    cJSON_Delete(doc);
    doc = ask("{\"limit\":5,\"text\":\"magic\"}");
    ck_assert_int_eq(is_truncated(doc), 0);
    cJSON_Delete(doc);
    doc = ask("{\"limit\":4,\"text\":\"magic\"}");
    ck_assert_int_eq(is_truncated(doc), 1);
    ck_assert_int_eq(num(doc, "count"), 4);
    cJSON_Delete(doc);
}
END_TEST

START_TEST(alerts)
{
    cJSON *doc = ask("{\"kind\":\"alerts\"}");
    ck_assert_int_eq(num(doc, "count"), NALERTS);
    ck_assert_int_eq(num(doc, "scanned"), NALERTS);
    check_results(doc, (int[]){44, 34, 24, 14, 4}, NALERTS);
    check_results(ask("{\"kind\":\"alerts\",\"since\":\"2026-01-01T00:24:00Z\",\"fields\":"
                      "{\"rule.name\":\"brute\"}}"),
                  (int[]){44, 34, 24}, 3);
    ck_assert_int_eq(store_log_has_id(qlog, "a-14"), 1);
    ck_assert_int_eq(store_log_has_id(qlog, "a-15"), 0);
}
END_TEST

/* Appends the ack of alert a-N at time t. */
static void append_ack(unsigned n, const char *t)
{
    char buf[512];
    int len = snprintf(buf, sizeof(buf),
                       "{\"@timestamp\":\"%s\",\"event\":{\"id\":\"ack-%u-%s\",\"kind\":"
                       "\"alert_ack\",\"created\":\"%s\"},\"ack\":{\"alert_id\":\"a-%u\"},"
                       "\"message\":\"ack %u\"}",
                       t, n, t, t, n, n);
    ck_assert_int_eq(store_log_append(qlog, STORE_ALERT, buf, (size_t)len), 0);
}

/* The "acknowledged" member of result i: its time, "null", or "absent". */
static const char *acknowledged(const cJSON *doc, int i)
{
    const cJSON *r = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "results"), i);
    const cJSON *a = cJSON_GetObjectItem(r, "acknowledged");
    return cJSON_IsString(a) ? a->valuestring : cJSON_IsNull(a) ? "null" : "absent";
}

START_TEST(alerts_with_acks)
{
    append_ack(14, "2026-01-02T00:00:00Z");
    append_ack(14, "2026-01-02T00:05:00Z"); /* the newest ack wins */
    append_ack(34, "2026-01-02T00:01:00Z");
    /* One request: the alerts and whether each is acknowledged. */
    cJSON *doc = ask("{\"kind\":\"alerts\",\"fields\":{\"rule.name\":\"brute\"},\"acks\":true}");
    ck_assert_int_eq(num(doc, "count"), NALERTS);
    ck_assert_str_eq(acknowledged(doc, 0), "null"); /* alert 44 */
    ck_assert_str_eq(acknowledged(doc, 1), "2026-01-02T00:01:00Z");
    ck_assert_str_eq(acknowledged(doc, 2), "null");
    ck_assert_str_eq(acknowledged(doc, 3), "2026-01-02T00:05:00Z");
    ck_assert_str_eq(acknowledged(doc, 4), "null");
    check_results(doc, (int[]){44, 34, 24, 14, 4}, NALERTS);
    /* The acks count whatever the query's range: they are newer. */
    doc = ask("{\"kind\":\"alerts\",\"until\":\"2026-01-01T00:20:00Z\",\"fields\":"
              "{\"rule.name\":\"brute\"},\"acks\":true,\"limit\":1}");
    ck_assert_str_eq(acknowledged(doc, 0), "2026-01-02T00:05:00Z");
    ck_assert(is_truncated(doc));
    cJSON_Delete(doc);
    /* Without acks, no member. */
    doc = ask("{\"kind\":\"alerts\",\"limit\":1,\"fields\":{\"rule.name\":\"brute\"}}");
    ck_assert_str_eq(acknowledged(doc, 0), "absent");
    cJSON_Delete(doc);
    /* Every record of the reply is still one object: the acks themselves. */
    doc = ask("{\"kind\":\"alerts\",\"fields\":{\"event.kind\":\"alert_ack\"},\"acks\":true}");
    ck_assert_int_eq(num(doc, "count"), 3);
    ck_assert_str_eq(acknowledged(doc, 0), "null");
    cJSON_Delete(doc);
}
END_TEST

/* Counts one array of the stats reply against want. */
static void check_counts(const cJSON *doc, const int *want, int n)
{
    const cJSON *counts = cJSON_GetObjectItem(doc, "counts");
    ck_assert_int_eq(cJSON_GetArraySize(counts), n);
    for (int i = 0; i < n; i++)
        ck_assert_msg(cJSON_GetArrayItem(counts, i)->valueint == want[i], "minute %d: %d, not %d",
                      i, cJSON_GetArrayItem(counts, i)->valueint, want[i]);
}

/* Per-minute counts come from the index: event n is at minute n. The
 * range is [since, until): the event at 00:00:00 is before since. */
START_TEST(stats_per_minute)
{
    cJSON *doc = ask("{\"stats\":\"per_minute\",\"since\":\"2026-01-01T00:00:30Z\","
                     "\"until\":\"2026-01-01T00:05:00Z\"}");
    ck_assert_str_eq(cJSON_GetObjectItem(doc, "stats")->valuestring, "per_minute");
    ck_assert_int_eq(num(doc, "start"), 1767225600);
    ck_assert_int_eq(num(doc, "scanned"), NEVENTS);
    check_counts(doc, (const int[]){0, 1, 1, 1, 1}, 5);
    cJSON_Delete(doc);
    /* A partial last minute still has its slot. */
    doc = ask("{\"stats\":\"per_minute\",\"since\":1767225600,\"until\":1767225750}");
    check_counts(doc, (const int[]){1, 1, 1}, 3);
    cJSON_Delete(doc);
    doc = ask("{\"kind\":\"alerts\",\"stats\":\"per_minute\",\"since\":1767225600,"
              "\"until\":1767226500}");
    ck_assert_int_eq(num(doc, "scanned"), NALERTS);
    check_counts(doc, (const int[]){0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 15);
    cJSON_Delete(doc);
}
END_TEST

START_TEST(bad_queries)
{
    static const struct {
        const char *query, *message;
    } cases[] = {
        {"{\"limit\":0}", "limit must be 1..1000"},
        {"{\"limit\":1001}", "limit must be 1..1000"},
        {"{\"limit\":2.5}", "limit must be 1..1000"},
        {"{\"limit\":\"5\"}", "limit must be 1..1000"},
        {"{\"kind\":\"logs\"}", "kind must be \"events\" or \"alerts\""},
        {"{\"since\":\"yesterday\"}", "since must be an RFC 3339 time"},
        {"{\"until\":true}", "until must be an RFC 3339 time"},
        {"{\"since\":20,\"until\":10}", "since must be before until"},
        {"{\"fields\":[\"user.name\"]}", "fields must be an object"},
        {"{\"fields\":{\"user\":{\"name\":\"root\"}}}", "fields.user must be a string"},
        {"{\"text\":\"\"}", "text must be a non-empty string"},
        {"{\"acks\":true}", "acks needs kind alerts"},
        {"{\"kind\":\"alerts\",\"acks\":1}", "acks must be true or false"},
        {"{\"kind\":\"alerts\",\"acks\":true,\"stats\":\"per_minute\",\"since\":0,"
         "\"until\":60}",
         "stats takes only kind, since and until"},
        {"{\"txt\":\"x\"}", "unknown key \"txt\""},
        {"{\"limit\":", "not valid JSON"},
        {"[1]", "must be a JSON object"},
        {"{\"stats\":\"per_hour\"}", "stats must be \"per_minute\""},
        {"{\"stats\":\"per_minute\",\"since\":0}", "stats needs since and until"},
        {"{\"stats\":\"per_minute\",\"since\":0,\"until\":86460}", "at most 1440 minutes"},
        {"{\"stats\":\"per_minute\",\"since\":0,\"until\":60,\"text\":\"x\"}",
         "stats takes only kind, since and until"},
        {"{\"stats\":\"per_minute\",\"since\":0,\"until\":60,\"limit\":5}",
         "stats takes only kind, since and until"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t len;
        char *reply =
            store_query_handle(qlog, NULL, cases[i].query, strlen(cases[i].query), BUDGET, &len);
        ck_assert_ptr_nonnull(reply);
        cJSON *doc = cJSON_Parse(reply);
        const cJSON *err = cJSON_GetObjectItem(doc, "error");
        ck_assert_msg(cJSON_IsString(err), "%s -> %s", cases[i].query, reply);
        ck_assert_msg(strstr(err->valuestring, cases[i].message) != NULL, "%s -> %s",
                      cases[i].query, err->valuestring);
        cJSON_Delete(doc);
        free(reply);
    }
    struct store_query q;
    char err[100];
    ck_assert_int_eq(store_query_parse("{\"limit\":0}", 11, &q, err, sizeof(err)), -EINVAL);
    ck_assert_str_eq(err, "limit must be 1..1000");
    ck_assert_int_eq(
        store_query_parse("{\"fields\":{\"a\":1,\"b\":true}}", 27, &q, err, sizeof(err)), 0);
    ck_assert_uint_eq(q.nfields, 2);
    ck_assert_str_eq(q.fields[1].value, "true");
    store_query_free(&q);
}
END_TEST

START_TEST(byte_budget)
{
    /* Each event is ~250 bytes: a 2000-byte reply holds a few. */
    cJSON *doc = ask_budget("{}", 2000);
    ck_assert_int_eq(is_truncated(doc), 1);
    int count = num(doc, "count");
    ck_assert_int_gt(count, 3);
    ck_assert_int_lt(count, 8);
    ck_assert_int_eq(result_n(doc, 0), 49);
    cJSON_Delete(doc);
    /* The smallest budget still gives a well-formed, empty reply. */
    doc = ask_budget("{}", STORE_QUERY_MIN_BUDGET);
    ck_assert_int_eq(num(doc, "count"), 0);
    ck_assert_int_eq(is_truncated(doc), 1);
    cJSON_Delete(doc);
    size_t len;
    ck_assert_ptr_null(store_query_handle(qlog, NULL, "{}", 2, STORE_QUERY_MIN_BUDGET - 1, &len));
    /* An error reply is cut to the budget as well. */
    char *e = store_query_error("a very long complaint about the query, repeated ... ......"
                                "......................................................",
                                64, &len);
    ck_assert_ptr_nonnull(e);
    ck_assert_uint_le(len, 64);
    free(e);
}
END_TEST

START_TEST(damaged_record_skipped)
{
    const struct store_rec *r = store_log_newest(qlog, 3);
    disk->data[STORE_AREA_START + (size_t)r->segment * 65536 + r->offset + STORE_REC_HDR + 5] ^= 1;
    cJSON *doc = ask("{}");
    ck_assert_int_eq(num(doc, "unreadable"), 1);
    ck_assert_int_eq(num(doc, "count"), NEVENTS - 1);
    cJSON_Delete(doc);
}
END_TEST

START_TEST(cursor_pages)
{
    /* Pages of 7 through every event: each once, newest first. */
    char query[128] = "{\"limit\":7}";
    int next = NEVENTS - 1, pages = 0;
    for (;;) {
        cJSON *doc = ask(query);
        int count = num(doc, "count");
        for (int i = 0; i < count; i++)
            ck_assert_int_eq(result_n(doc, i), next--);
        pages++;
        const cJSON *c = cJSON_GetObjectItem(doc, "cursor");
        if (!is_truncated(doc)) {
            ck_assert_ptr_null(c);
            cJSON_Delete(doc);
            break;
        }
        ck_assert(cJSON_IsNumber(c));
        snprintf(query, sizeof(query), "{\"limit\":7,\"cursor\":%.0f}", c->valuedouble);
        cJSON_Delete(doc);
    }
    ck_assert_int_eq(next, -1);
    ck_assert_int_eq(pages, (NEVENTS + 6) / 7);
    /* A cursor with filters, and bad cursors. */
    cJSON *doc = ask("{\"text\":\"magic\",\"cursor\":21}");
    int want[] = {17, 7};
    check_results(doc, want, 2);
    size_t len;
    const char *bad[] = {"{\"cursor\":0}", "{\"cursor\":-3}", "{\"cursor\":1.5}",
                         "{\"cursor\":\"7\"}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *reply = store_query_handle(qlog, NULL, bad[i], strlen(bad[i]), BUDGET, &len);
        ck_assert_msg(strstr(reply, "cursor must be") != NULL, "%s -> %s", bad[i], reply);
        free(reply);
    }
}
END_TEST

/* A fake clock that moves a second per look, and a count of the yields. */
static int64_t fake_ms;
static unsigned yields;

static int64_t fake_now(void)
{
    return fake_ms += 1000;
}

static void count_yield(void)
{
    yields++;
}

START_TEST(time_budget)
{
    fake_ms = 0;
    yields = 0;
    struct store_query_env env = {NULL, NULL, count_yield, fake_now, 3500};
    /* Nothing matches: only the clock can end the scan early. */
    cJSON *doc = ask_env(&env, "{\"text\":\"no such words\"}", BUDGET);
    ck_assert_int_eq(is_truncated(doc), 1);
    ck_assert_int_eq(num(doc, "count"), 0);
    ck_assert_int_eq(num(doc, "scanned"), 4); /* the clock's start, then 4 looks */
    ck_assert_uint_eq(yields, 4);
    int cursor = num(doc, "cursor");
    cJSON_Delete(doc);
    /* Going on from the cursor never looks at a record twice. */
    char query[128];
    snprintf(query, sizeof(query), "{\"text\":\"MaGiC\",\"cursor\":%d}", cursor);
    doc = ask_env(&env, query, BUDGET);
    ck_assert_int_eq(is_truncated(doc), 1);
    ck_assert_int_lt(num(doc, "cursor"), cursor);
    cJSON_Delete(doc);
    /* Without a clock nothing is cut. */
    env.now_ms = NULL;
    doc = ask_env(&env, "{\"text\":\"no such words\"}", BUDGET);
    ck_assert_int_eq(is_truncated(doc), 0);
    ck_assert_int_eq(num(doc, "scanned"), NEVENTS);
    cJSON_Delete(doc);
}
END_TEST

/* A writer that runs whenever the scan yields: a 60 KB event each time,
 * committed, so old segments are reclaimed under the scan's feet. */
static unsigned appended;

static void append_big(void)
{
    static char buf[60000];
    int len = snprintf(buf, sizeof(buf),
                       "{\"event\":{\"created\":\"2026-02-01T00:00:00Z\"},"
                       "\"message\":\"big %u ",
                       appended++);
    memset(buf + len, 'x', sizeof(buf) - (size_t)len - 3);
    memcpy(buf + sizeof(buf) - 3, "\"}", 2);
    ck_assert_int_eq(store_log_append(qlog, STORE_EVENT, buf, sizeof(buf) - 1), 0);
    ck_assert_int_eq(store_log_commit(qlog), 0);
}

START_TEST(appends_during_scan)
{
    appended = 0;
    uint64_t top = store_log_newest(qlog, 0)->seq + 1;
    struct store_query_env env = {NULL, NULL, append_big, NULL, 0};
    /* A few appends: the scan sees exactly the records from its start. */
    cJSON *doc = ask_env(&env, "{\"limit\":5}", BUDGET);
    int want[] = {49, 48, 47, 46, 45};
    check_results(doc, want, 5);
    ck_assert_uint_eq(appended, 5);
    /* Below the big records, with enough appends to reclaim the segment
     * the scan reads: it ends early, without an error or an unreadable
     * record, and what it gives is intact. */
    char query[128];
    snprintf(query, sizeof(query), "{\"fields\":{\"event.action\":\"ssh_login\"},\"cursor\":%llu}",
             (unsigned long long)top);
    doc = ask_env(&env, query, BUDGET);
    ck_assert_int_eq(num(doc, "unreadable"), 0);
    ck_assert_int_eq(is_truncated(doc), 0);
    int count = num(doc, "count");
    ck_assert_int_gt(count, 0);
    ck_assert_int_lt(count, NEVENTS);
    for (int i = 0; i < count; i++)
        ck_assert_int_eq(result_n(doc, i), NEVENTS - 1 - i);
    cJSON_Delete(doc);
}
END_TEST

Suite *query_suite(void)
{
    Suite *s = suite_create("siem-store-query");
    TCase *tc = tcase_create("query");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, everything_newest_first);
    tcase_add_test(tc, time_range);
    tcase_add_test(tc, field_equality);
    tcase_add_test(tc, text_search);
    tcase_add_test(tc, limit_and_truncated);
    tcase_add_test(tc, alerts);
    tcase_add_test(tc, bad_queries);
    tcase_add_test(tc, stats_per_minute);
    tcase_add_test(tc, byte_budget);
    tcase_add_test(tc, damaged_record_skipped);
    tcase_add_test(tc, cursor_pages);
    tcase_add_test(tc, alerts_with_acks);
    tcase_add_test(tc, time_budget);
    tcase_add_test(tc, appends_during_scan);
    suite_add_tcase(s, tc);
    return s;
}
