/* The SIEM correlator: a durable pull consumer on EVENTS feeds the rule
 * engine; alerts go to siem.alerts.<rule> with a deterministic id. On start
 * it rebuilds its windows by replaying EVENTS (replay.c), so a restart
 * neither misses nor doubles an alert. */
#include <errno.h>
#include <libos/modules.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus.h"
#include "engine.h"
#include "field.h"
#include "health.h"
#include "jetstream.h"
#include "module.h"
#include "pull.h"
#include "replay.h"
#include "rules.h"
#include "serve.h"

#define DURABLE "correlator"
#define FETCH_EXPIRES_MS 1000
#define PUBLISH_TIMEOUT_MS 10000
#define RULES_SUBJECT "siem.correlator.rules"
#define HEALTH_SUBJECT "siem.health.>"

extern const char corr_builtin_rules[];

static struct module_arg args[] = {
    ARG_STRING("nats", "10.0.2.2:4222", "NATS server HOST:PORT"),
    ARG_STRING("nkey", "", "the module's NATS identity, a user seed (from the secrets file)"),
    ARG_CHOICE("rules", "builtin", "builtin|module",
               "builtin, or module: the rules in the first boot module"),
    ARG_NUM("batch", "256", 1, 4096, "events per fetch, at most"),
    ARG_NUM("skew-future", "5", 0, 86400,
            "seconds an event's time may lie after its reception; later counts then"),
    ARG_NUM("skew-past", "600", 0, 30 * 86400,
            "seconds an event's time may lie before its reception; earlier counts then"),
    ARG_NUM("heartbeat", "2", 1, 3600, "seconds between heartbeats"),
    ARG_END,
};

static struct bus *bus;
static struct corr_rules rules;
static corr_engine *engine;
static struct replay_report replayed;
static struct health_watch health;
static unsigned long events, bad_events, alerts_published, alert_retries, skipped;
static unsigned long fetch_errors, ack_errors;
static char *rules_reply; /* the loaded rules as JSON, for siem.correlator.rules */

static double untimed(void)
{
    return (double)corr_engine_untimed(engine);
}

static double clamped(void)
{
    return (double)corr_engine_clamped(engine);
}

/* Each rule's counters, an object per rule under "rules". */
static void per_rule(cJSON *o)
{
    cJSON *per_rule = cJSON_AddObjectToObject(o, "rules");
    for (size_t i = 0; i < rules.count; i++) {
        struct corr_rule_stats st;
        if (corr_rule_stats(engine, i, &st) < 0)
            continue;
        cJSON *r = cJSON_AddObjectToObject(per_rule, rules.rule[i].name);
        cJSON_AddNumberToObject(r, "matched", (double)st.matched);
        cJSON_AddNumberToObject(r, "alerts", (double)st.alerts);
        cJSON_AddNumberToObject(r, "suppressed", (double)st.suppressed);
        cJSON_AddNumberToObject(r, "evicted", (double)st.evicted);
        cJSON_AddNumberToObject(r, "groups", (double)st.groups);
    }
}

static const struct module_counter counter_table[] = {
    COUNTER("events", events),
    COUNTER("bad_events", bad_events),
    COUNTER_FN("untimed_events", untimed),
    COUNTER_FN("clamped_events", clamped),
    COUNTER("health_alerts", health.alerts),
    COUNTER("alerts_published", alerts_published),
    COUNTER("alert_retries", alert_retries),
    COUNTER("replayed_events", replayed.events),
    COUNTER("known_alerts", replayed.known_alerts),
    COUNTER("caught_up_events", replayed.caught_up),
    COUNTER("skipped_redeliveries", skipped),
    COUNTER("fetch_errors", fetch_errors),
    COUNTER("ack_errors", ack_errors),
    COUNTER_END,
};
static const struct module_counters counters = {NULL, counter_table, per_rule};

/* Publishes an alert and waits until ALERTS has it: the event that caused
 * it is acknowledged only afterwards. */
static void publish_alert(const struct corr_alert *a, void *arg)
{
    (void)arg;
    int tries = 0;
    while (js_publish(bus, a->subject, a->id, a->json, strlen(a->json), PUBLISH_TIMEOUT_MS, NULL,
                      NULL) < 0) {
        alert_retries++;
        if (tries++ % 10 == 0)
            fprintf(stderr, "correlator: alert %s not yet published: %s; retrying\n", a->id,
                    strerror(errno));
        sleep(1);
    }
    alerts_published++;
    printf("correlator: alert %s %s\n", a->rule, a->id);
}

/* The rule text: compiled in, or the first boot module. */
static const char *rules_text(const char **source)
{
    const char *which = module_arg(args, "rules");
    if (strcmp(which, "builtin") == 0) {
        *source = "default.rules";
        return corr_builtin_rules;
    }
    if (strcmp(which, "module") != 0) {
        fprintf(stderr, "correlator: rules=%s: expected builtin or module\n", which);
        exit(2);
    }
    size_t len;
    const char *name;
    const char *data = libos_module(0, &len, &name);
    if (!data) {
        fprintf(stderr, "correlator: rules=module but no boot module was given "
                        "(tools/run --initrd FILE)\n");
        exit(2);
    }
    char *text = malloc(len + 1);
    if (!text)
        exit(1);
    memcpy(text, data, len);
    text[len] = '\0';
    *source = name && *name ? name : "module";
    return text;
}

/* Answers requests on siem.correlator.rules with the loaded rules (a JSON
 * array, rules_json.c), for the manager's /api/rules. */
static void answer_rules(void *ctx, const struct bus_msg *m, size_t max, struct serve_reply *r)
{
    (void)ctx, (void)m, (void)max;
    if (!rules_reply) {
        snprintf(r->error, sizeof(r->error), "out of memory");
        return;
    }
    r->len = strlen(rules_reply);
    if ((r->body = malloc(r->len)))
        memcpy(r->body, rules_reply, r->len);
}

/* Watches the modules' heartbeats and publishes the alerts about the SIEM
 * itself (health.c) like any other alert. */
static void *watch_health(void *arg)
{
    (void)arg;
    struct bus_queue *q = bus_subscribe(bus, HEALTH_SUBJECT);
    for (;;) {
        struct bus_msg *m = bus_queue_pop(q, 60000);
        cJSON *beat = m ? cJSON_ParseWithLength(m->data, m->len) : NULL;
        cJSON *doc = beat ? health_beat(&health, beat, module_now_ns() / 1000000) : NULL;
        char *json = doc ? cJSON_PrintUnformatted(doc) : NULL;
        if (json) {
            const cJSON *rule = siem_field(doc, "rule.name"), *id = siem_field(doc, "event.id");
            char subject[96];
            snprintf(subject, sizeof(subject), "siem.alerts.%s", rule->valuestring);
            struct corr_alert a = {rule->valuestring, subject, id->valuestring, doc, json};
            publish_alert(&a, NULL);
        }
        cJSON_free(json);
        cJSON_Delete(doc);
        cJSON_Delete(beat);
        bus_msg_free(m);
    }
    return NULL;
}

/* Feeds one delivered event, unless it was fed already: by the catch-up
 * at start (replay.c), or before a redelivery after a slow batch. */
static void feed(const struct bus_msg *m)
{
    uint64_t seq;
    int64_t t, received = CORR_NO_TIME;
    if (js_msg_meta(m, &seq, &t) == 0) {
        if (seq <= replayed.fed_seq) {
            skipped++;
            return;
        }
        replayed.fed_seq = seq;
        received = t / 1000000;
    }
    cJSON *event = cJSON_ParseWithLength(m->data, m->len);
    events++;
    if (!event) {
        bad_events++;
        return;
    }
    corr_feed_at(engine, event, received, 0);
    cJSON_Delete(event);
}

int main(int argc, char **argv)
{
    module_args("correlator", argc, argv, args);
    int batch = (int)module_arg_value(args, "batch");
    int period = (int)module_arg_value(args, "heartbeat");
    const char *source;
    const char *text = rules_text(&source);
    char err[256];
    if (corr_rules_parse(text, source, &rules, err, sizeof(err)) < 0) {
        fprintf(stderr, "correlator: %s\n", err);
        return 2;
    }
    engine = corr_engine_new(&rules, CORR_DEFAULT_MAX_GROUPS, publish_alert, NULL);
    if (!engine)
        return 1;
    corr_engine_set_skew(engine, module_arg_value(args, "skew-past") * 1000LL,
                         module_arg_value(args, "skew-future") * 1000LL);
    health_init(&health);
    printf("correlator: %zu rules from %s\n", rules.count, source);

    bus = module_connect("correlator", args);
    js_wait_consumer(bus, JS_EVENTS, DURABLE);
    if (replay(bus, engine, &rules, DURABLE, &replayed) < 0)
        return 1;
    printf("correlator: replayed %lu events (from %lld ms before the ack floor, seq %llu), "
           "%lu known alerts; caught up with %lu events after it\n",
           replayed.events, (long long)corr_replay_horizon_ms(&rules),
           (unsigned long long)replayed.ack_floor, replayed.known_alerts, replayed.caught_up);
    module_heartbeat(bus, "correlator", period, &counters);
    cJSON *arr = corr_rules_json(&rules);
    rules_reply = arr ? cJSON_PrintUnformatted(arr) : NULL;
    cJSON_Delete(arr);
    serve_start(bus, "correlator", RULES_SUBJECT, answer_rules, NULL);
    pthread_t t;
    pthread_create(&t, NULL, watch_health, NULL);
    pthread_detach(t);

    struct pull_opts o = {.batch = batch, .expires_ms = FETCH_EXPIRES_MS, .ack_all = 1};
    struct pull *p = pull_new(bus, JS_EVENTS, DURABLE, &o);
    struct bus_msg **got = calloc((size_t)batch, sizeof(*got));
    if (!p || !got) {
        fprintf(stderr, "correlator: cannot consume EVENTS: %s\n", strerror(errno));
        return 1;
    }
    printf("correlator: ready\n");
    for (;;) {
        int n = pull_fetch(p, got, FETCH_EXPIRES_MS + 2000);
        if (n < 0)
            fetch_errors++; /* pull_fetch paused already */
        for (int i = 0; i < n; i++)
            feed(got[i]); /* publishes its alerts before returning */
        /* AckAll: one ack covers the batch, after all its alerts are in
         * ALERTS. A lost one means redeliveries, which feed skips. */
        if (n > 0 && pull_ack_batch(p, got, n) < 0)
            ack_errors++;
        for (int i = 0; i < n; i++)
            bus_msg_free(got[i]);
    }
}
