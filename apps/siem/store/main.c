/* The SIEM event store: durable consumers on EVENTS and ALERTS append to a
 * log on a virtio-blk disk; a batch is acknowledged to JetStream only after
 * the disk flushed it. Queries arrive on siem.store.query (docs/siem.md). */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bus.h"
#include "chain.h"
#include "disk.h"
#include "id.h"
#include "jetstream.h"
#include "log.h"
#include "module.h"
#include "pull.h"
#include "query.h"
#include "serve.h"

#define FETCH_EXPIRES_MS 1000
#define IDLE_MS 5
#define QUERY_SUBJECT "siem.store.query"

static struct module_arg args[] = {
    ARG_STRING("nats", "10.0.2.2:4222", "NATS server HOST:PORT"),
    ARG_STRING("nkey", "", "the module's NATS identity, a user seed (from the secrets file)"),
    ARG_NUM("disk", "0", 0, 63, "the virtio-blk disk that holds the log"),
    ARG_NUM("batch", "256", 1, 4096, "messages per fetch and per disk flush, at most"),
    ARG_DURATION("min-age", "7d", 0, 3650LL * 86400000,
                 "records younger than this reclaimed by retention are counted "
                 "(evicted_young) and alerted; 0: off"),
    ARG_NUM("heartbeat", "2", 1, 3600, "seconds between heartbeats"),
    ARG_NUM("query-ms", "2000", 1, 600000,
            "milliseconds a query may scan before it answers truncated"),
    ARG_STRING("seal_key", "",
               "K_0, 64 hex digits: starts the chain of a blank disk (else ignored)"),
    ARG_ONOFF("chain", "on", "on, or off for benchmarks only: no tags, seals or checks"),
    ARG_END,
};

static struct store_log *log_;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static struct store_recovery recovered;
static struct bus *bus;
static int batch;
static int64_t min_age_ms;
static struct serve *queries;
static unsigned long rejected, ack_errors, fetch_errors;

/* The heartbeat's counters: the log's, copied under its lock at each beat,
 * the recovery's and the queries'. */
static struct store_stats beat_stats;

static void snapshot(void)
{
    pthread_mutex_lock(&log_lock);
    store_log_stats(log_, &beat_stats);
    pthread_mutex_unlock(&log_lock);
}

/* The chain's head (the last committed record and its tag): whoever
 * keeps it can tell later whether the log's tail was cut. */
static void head_tag(cJSON *o)
{
    char tag[2 * sizeof(beat_stats.head_tag) + 1];
    for (size_t i = 0; i < sizeof(beat_stats.head_tag); i++)
        snprintf(tag + 2 * i, 3, "%02x", beat_stats.head_tag[i]);
    cJSON_AddStringToObject(o, "chain_head_tag", tag);
}

static double query_count(void)
{
    return queries ? (double)serve_requests(queries) : 0;
}

static double query_error_count(void)
{
    return queries ? (double)serve_errors(queries) : 0;
}

static const struct module_counter counter_table[] = {
    COUNTER("records", beat_stats.records),
    COUNTER("appended", beat_stats.appended),
    COUNTER("duplicates", beat_stats.duplicates),
    COUNTER("rejected", rejected),
    COUNTER("commits", beat_stats.commits),
    COUNTER("commit_errors", beat_stats.commit_errors),
    COUNTER("segments_live", beat_stats.segments_live),
    COUNTER("segment_count", beat_stats.segment_count),
    COUNTER("segments_reclaimed", beat_stats.segments_reclaimed),
    COUNTER("records_reclaimed", beat_stats.records_reclaimed),
    COUNTER("evicted_young", beat_stats.evicted_young),
    COUNTER("recovered_records", recovered.records),
    COUNTER("recovered_bytes_truncated", recovered.bytes_truncated),
    COUNTER("corrupt_segments", recovered.corrupt_segments),
    COUNTER_FN("queries", query_count),
    COUNTER_FN("query_errors", query_error_count),
    COUNTER("fetch_errors", fetch_errors),
    COUNTER("ack_errors", ack_errors),
    COUNTER("chain_broken", beat_stats.chain_broken),
    COUNTER("chain_broken_at", recovered.broken_seq),
    COUNTER("chain_head_seq", beat_stats.head_seq),
    COUNTER_END,
};
static const struct module_counters counters = {snapshot, counter_table, head_tag};

/* seal_key=HEX into key (32 bytes); the text is wiped either way.
 * Returns 1 when there was a key, 0 when the argument was empty. */
static int seal_key(uint8_t key[32])
{
    char *hex = (char *)module_arg(args, "seal_key");
    size_t n = strlen(hex);
    int ok =
        n == 64 && siem_id_parse(hex, 32, key) == 0 && siem_id_parse(hex + 32, 32, key + 16) == 0;
    chain_wipe(hex, n);
    if (n && !ok) {
        chain_wipe(key, 32);
        fprintf(stderr, "store: seal_key=: expected 64 hex digits\n");
        exit(2);
    }
    return n != 0;
}

/* Appends one delivered message; duplicates (a redelivery of something
 * already in the log) are dropped here. The id comes from the message's
 * Nats-Msg-Id header (every SIEM publisher sets it) so the JSON need not
 * be parsed; without one the log takes it from the JSON. */
static void append(enum store_kind kind, const struct bus_msg *m)
{
    char id[256];
    int has_id = bus_msg_header(m, "Nats-Msg-Id", id, sizeof(id)) == 0 && id[0];
    int r = store_log_append_id(log_, kind, has_id ? id : NULL, m->data, m->len);
    if (r == -EEXIST || r == 0)
        return;
    /* Not storable (not a JSON object, larger than a segment): say so and
     * count it; it is still acknowledged, or it would come back forever. */
    rejected++;
    uint64_t seq = 0;
    int64_t t;
    js_msg_meta(m, &seq, &t);
    fprintf(stderr, "store: %s message %llu (%zu bytes) not stored: %s\n",
            kind == STORE_EVENT ? "EVENTS" : "ALERTS", (unsigned long long)seq, m->len,
            strerror(-r));
}

/* Makes the batch durable; retries until the disk takes it. */
static void commit(void)
{
    int r, tries = 0;
    while ((r = store_log_commit(log_)) < 0) {
        if (tries++ % 10 == 0)
            fprintf(stderr, "store: disk flush failed: %s; retrying\n", strerror(-r));
        pthread_mutex_unlock(&log_lock);
        sleep(1);
        pthread_mutex_lock(&log_lock);
    }
}

struct consumer {
    const char *stream, *durable;
    enum store_kind kind;
};

/* One consumer's loop: a batch (a lone event ends its batch after
 * PULL_IDLE_MS, so it is on the disk in milliseconds), appended, flushed,
 * and only then acknowledged: group commit. */
static void *consume(void *arg)
{
    const struct consumer *c = arg;
    struct pull_opts o = {.batch = batch, .expires_ms = FETCH_EXPIRES_MS, .idle_ms = IDLE_MS};
    struct pull *p = pull_new(bus, c->stream, c->durable, &o);
    struct bus_msg **got = calloc((size_t)batch, sizeof(*got));
    if (!p || !got) {
        fprintf(stderr, "store: cannot consume %s: %s\n", c->stream, strerror(errno));
        exit(1);
    }
    for (;;) {
        int n = pull_fetch(p, got, FETCH_EXPIRES_MS + 2000);
        if (n < 0)
            fetch_errors++; /* pull_fetch paused already */
        if (n <= 0)
            continue;
        pthread_mutex_lock(&log_lock);
        if (min_age_ms)
            store_log_set_young_after(log_, module_now_ns() / 1000000 - min_age_ms);
        for (int i = 0; i < n; i++)
            append(c->kind, got[i]);
        commit();
        pthread_mutex_unlock(&log_lock);
        /* Each message is acknowledged by itself (explicit acks, all of a
         * batch in one write): with AckAll, the first ack after a restart
         * would also cover messages the previous run had fetched but not
         * stored, and the stream would never send them again. A lost ack
         * means a redelivery, which append drops as a duplicate. */
        if (pull_ack_batch(p, got, n) < 0)
            ack_errors++;
        for (int i = 0; i < n; i++)
            bus_msg_free(got[i]);
    }
    return NULL;
}

static void lock_log(void)
{
    pthread_mutex_lock(&log_lock);
}

static void unlock_log(void)
{
    pthread_mutex_unlock(&log_lock);
}

static void yield(void)
{
    sched_yield();
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Queries hold the log's lock only to copy an index entry or pending
 * bytes, and yield between records, so appends and heartbeats go on
 * while a long scan runs; the scan stops after query-ms. */
static struct store_query_env query_env = {lock_log, unlock_log, yield, now_ms, 2000};

/* One query on siem.store.query: the store's {"error":...} replies go
 * out as error replies (serve.h). */
static void answer_query(void *ctx, const struct bus_msg *m, size_t max, struct serve_reply *r)
{
    (void)ctx;
    r->body = store_query_handle(log_, &query_env, m->data, m->len, max, &r->len);
    if (!r->body || strncmp(r->body, "{\"error\":", 9) != 0)
        return;
    cJSON *e = cJSON_ParseWithLength(r->body, r->len);
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(e, "error");
    snprintf(r->error, sizeof(r->error), "%s",
             cJSON_IsString(msg) ? msg->valuestring : "the query failed");
    cJSON_Delete(e);
}

static void report(const struct store_recovery *r, const struct store_stats *st, int chain)
{
    if (r->formatted) {
        printf("store: formatted a blank disk: %u segments of %u KiB%s\n", st->segment_count,
               st->segment_size / 1024, chain ? "; chain started with the seal key" : "");
        return;
    }
    printf("store: recovered %llu records in %u segments (seq %llu..%llu); torn tail: %llu "
           "bytes truncated; corrupt segments: %u (at least %llu records lost)\n",
           (unsigned long long)r->records, r->segments, (unsigned long long)r->first_seq,
           (unsigned long long)r->last_seq, (unsigned long long)r->bytes_truncated,
           r->corrupt_segments, (unsigned long long)r->records_lost);
    if (!chain)
        printf("store: chain=off: nothing checked (benchmarks only)\n");
    else if (r->chain_broken)
        printf("store: CHAIN BROKEN at record %llu: %s; serving records %llu..%llu only, storing "
               "nothing new, the disk kept as found (tools/siem verify names every fault)\n",
               (unsigned long long)r->broken_seq, r->broken_why, (unsigned long long)r->first_seq,
               (unsigned long long)r->last_seq);
    else
        printf("store: chain verified: %llu records in %u sealed segments and the open one "
               "(%llu tags checked with its key; sealed tags: tools/siem verify)\n",
               (unsigned long long)r->records, r->sealed_segments,
               (unsigned long long)r->tags_checked);
}

int main(int argc, char **argv)
{
    module_args("store", argc, argv, args);
    int dev = (int)module_arg_value(args, "disk");
    batch = (int)module_arg_value(args, "batch");
    int period = (int)module_arg_value(args, "heartbeat");
    query_env.budget_ms = module_arg_value(args, "query-ms");
    min_age_ms = module_arg_value(args, "min-age");
    uint8_t key[32];
    struct store_open_opts opts = {.chain_off = !module_arg_value(args, "chain")};
    if (seal_key(key))
        opts.seal_key = key;

    struct store_disk disk;
    char err[200];
    if (store_disk_blk(dev, &disk, err, sizeof(err)) < 0) {
        fprintf(stderr, "store: %s\n", err);
        return 3;
    }
    /* K_0 only starts a blank disk's chain; from then on the disk's own
     * key state evolves, and K_0 is not kept. */
    int r = store_log_open(&log_, &disk, &opts, &recovered, err, sizeof(err));
    chain_wipe(key, sizeof(key));
    if (r < 0) {
        fprintf(stderr, "store: disk %d: %s\n", dev, err);
        return 3;
    }
    struct store_stats st;
    store_log_stats(log_, &st);
    report(&recovered, &st, !opts.chain_off);

    bus = module_connect("store", args);
    js_wait_consumer(bus, JS_EVENTS, "store-events");
    js_wait_consumer(bus, JS_ALERTS, "store-alerts");
    module_heartbeat(bus, "store", period, &counters);

    static const struct consumer events = {JS_EVENTS, "store-events", STORE_EVENT};
    static const struct consumer alerts = {JS_ALERTS, "store-alerts", STORE_ALERT};
    /* A broken chain: the intact prefix is served, nothing new is stored
     * (it waits in JetStream, unacknowledged) until an operator has moved
     * the disk aside as evidence. */
    pthread_t t;
    if (!st.chain_broken) {
        pthread_create(&t, NULL, consume, (void *)&events);
        pthread_detach(t);
        pthread_create(&t, NULL, consume, (void *)&alerts);
        pthread_detach(t);
    }
    queries = serve_start(bus, "store", QUERY_SUBJECT, answer_query, NULL);
    printf("store: ready (disk %d, batch %d, min-age %lld s%s)\n", dev, batch,
           (long long)(min_age_ms / 1000), st.chain_broken ? "; CHAIN BROKEN: read-only" : "");
    for (;;)
        sleep(3600);
}
