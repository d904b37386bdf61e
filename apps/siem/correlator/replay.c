/* The correlator's restart (engine.h explains why this reproduces the
 * original run exactly): known alerts first, then the events in the
 * horizon before the ack floor, through short-lived pull consumers. */
#include "replay.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "jetstream.h"
#include "pull.h"

#define BATCH 512
#define EXPIRES_MS 1000
/* The one consumer the correlator may create and delete (docs/siem.md
 * "Identities"). */
#define REPLAY_CONSUMER "correlator-replay"

/* Calls fn for every message of stream from start_ns on (or from sequence
 * start_seq when start_ns is 0), until one with a stream sequence above
 * last (0: until the stream has no more). */
static int walk(struct bus *b, const char *stream, int64_t start_ns, uint64_t start_seq,
                uint64_t last, void (*fn)(void *ctx, const struct bus_msg *m), void *ctx)
{
    const char *name = REPLAY_CONSUMER;
    if (js_replay_consumer(b, stream, name, start_ns, start_seq) < 0) {
        fprintf(stderr, "correlator: cannot read %s for the replay: %s\n", stream, strerror(errno));
        return -1;
    }
    /* No acks: the consumer is deleted when the walk is over. */
    struct pull_opts o = {.batch = BATCH, .expires_ms = EXPIRES_MS};
    struct pull *p = pull_new(b, stream, name, &o);
    struct bus_msg **got = calloc(BATCH, sizeof(*got));
    if (!p || !got) {
        fprintf(stderr, "correlator: cannot subscribe for the replay: %s\n", strerror(errno));
        pull_free(p);
        free(got);
        return -1;
    }
    int rc = 0, done = 0;
    while (!done) {
        int n = pull_fetch(p, got, EXPIRES_MS);
        if (n < 0) {
            rc = -1;
            break;
        }
        if (n == 0) /* the stream has no more */
            done = 1;
        for (int i = 0; i < n; i++) {
            uint64_t seq;
            int64_t t;
            if (js_msg_meta(got[i], &seq, &t) < 0 || (last && seq > last))
                done = 1;
            if (!done) {
                fn(ctx, got[i]);
                done = last && seq == last; /* no need to wait for more */
            }
            bus_msg_free(got[i]);
        }
    }
    free(got);
    pull_free(p);
    /* A consumer not deleted is harmless: the server deletes it idle. */
    if (rc == 0)
        js_delete_consumer(b, stream, name);
    return rc;
}

struct known_ctx {
    corr_engine *engine;
    struct replay_report *report;
};

static void register_alert(void *arg, const struct bus_msg *m)
{
    struct known_ctx *k = arg;
    cJSON *a = cJSON_ParseWithLength(m->data, m->len);
    char rule[64], trigger[64];
    if (a && siem_field_text(a, "rule.name", rule, sizeof(rule)) >= 0 &&
        siem_field_text(a, "trigger.event_id", trigger, sizeof(trigger)) >= 0 &&
        corr_known_alert(k->engine, rule, trigger) >= 0)
        k->report->known_alerts++;
    cJSON_Delete(a);
}

static void feed(struct known_ctx *k, const struct bus_msg *m, int replay_mode)
{
    cJSON *e = cJSON_ParseWithLength(m->data, m->len);
    uint64_t seq;
    int64_t t;
    int meta = js_msg_meta(m, &seq, &t);
    if (e) {
        corr_feed_at(k->engine, e, meta == 0 ? t / 1000000 : CORR_NO_TIME, replay_mode);
        if (replay_mode)
            k->report->events++;
        else
            k->report->caught_up++;
    }
    if (meta == 0)
        k->report->fed_seq = seq;
    cJSON_Delete(e);
}

static void replay_event(void *arg, const struct bus_msg *m)
{
    feed(arg, m, 1);
}
static void live_event(void *arg, const struct bus_msg *m)
{
    feed(arg, m, 0);
}

int replay(struct bus *b, corr_engine *engine, const struct corr_rules *rules, const char *durable,
           struct replay_report *report)
{
    memset(report, 0, sizeof(*report));
    uint64_t floor;
    if (js_consumer_ack_floor(b, JS_EVENTS, durable, &floor) < 0) {
        fprintf(stderr, "correlator: cannot read the ack floor of %s: %s\n", durable,
                strerror(errno));
        return -1;
    }
    report->ack_floor = floor;
    report->fed_seq = floor;
    struct known_ctx k = {engine, report};
    int64_t floor_ns;
    if (floor == 0) {
        /* A first start: nothing to rebuild. */
    } else if (js_stream_msg_time(b, JS_EVENTS, floor, &floor_ns) < 0) {
        /* The message itself may be gone (stream limits): then nothing in
         * the horizon before it can be read either. */
        fprintf(stderr, "correlator: EVENTS message %llu is gone; starting with empty windows\n",
                (unsigned long long)floor);
    } else {
        int64_t start = floor_ns - corr_replay_horizon_ms(rules) * 1000000;
        if (walk(b, JS_ALERTS, start, 0, 0, register_alert, &k) < 0 ||
            walk(b, JS_EVENTS, start, 0, floor, replay_event, &k) < 0)
            return -1;
    }
    uint64_t last;
    if (js_stream_last_seq(b, JS_EVENTS, &last) < 0)
        return -1;
    if (last > floor && walk(b, JS_EVENTS, 0, floor + 1, last, live_event, &k) < 0)
        return -1;
    return 0;
}
