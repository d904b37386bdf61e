/* Turning received syslog records into events on the bus: normalise,
 * publish with the event id as Nats-Msg-Id, and keep each UDP/TCP event
 * until JetStream acknowledged it (republishing after a failure). */
#include "publish.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jetstream.h"
#include "puback.h"

#define PUBLISH_TIMEOUT_MS 10000
#define RETRY_DELAY_US (500 * 1000)

struct norm_counters norm_counters;

/* One event on its way to the stream. */
struct pending_event {
    struct pending_event *next;
    char subject[SIEM_SUBJECT_LEN];
    char id[SIEM_EVENT_ID_LEN];
    char *json;
    size_t len;
};

static struct bus *bus;
static int max_inflight;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t room = PTHREAD_COND_INITIALIZER;
static pthread_cond_t retry_ready = PTHREAD_COND_INITIALIZER;
static struct pending_event *retry_head;

/* 1 when a PubAck reply says the stream stored the message (or had it). */
static int acked(const struct bus_msg *m, int *duplicate)
{
    return m && !m->status && js_puback_scan(m->data, m->len, NULL, duplicate) == JS_PUBACK_STORED;
}

static void done(struct pending_event *e)
{
    free(e->json);
    free(e);
    pthread_mutex_lock(&lock);
    norm_counters.inflight--;
    pthread_cond_signal(&room);
    pthread_mutex_unlock(&lock);
}

static void retry_later(struct pending_event *e)
{
    pthread_mutex_lock(&lock);
    norm_counters.publish_retries++;
    e->next = retry_head;
    retry_head = e;
    pthread_cond_signal(&retry_ready);
    pthread_mutex_unlock(&lock);
}

/* Runs on the bus reader thread: must not block. */
static void on_reply(void *ctx, struct bus_msg *m)
{
    struct pending_event *e = ctx;
    int duplicate = 0;
    if (acked(m, &duplicate)) {
        norm_counters.published++;
        norm_counters.duplicates += (unsigned long)duplicate;
        bus_msg_free(m);
        done(e);
        return;
    }
    if (norm_counters.publish_retries % 100 == 0)
        fprintf(stderr, "normaliser: event %s not acknowledged: %s; publishing it again\n", e->id,
                m ? (m->status ? m->headers : m->data) : "no reply in time");
    bus_msg_free(m);
    retry_later(e);
}

static void send_event(struct pending_event *e)
{
    if (bus_request_async(bus, e->subject, e->id, e->json, e->len, PUBLISH_TIMEOUT_MS, on_reply,
                          e) < 0)
        retry_later(e);
}

/* Republishes failed events, each after a short pause: the bus is
 * reconnecting, or the stream is not there yet. */
static void *retrier(void *arg)
{
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&lock);
        while (!retry_head)
            pthread_cond_wait(&retry_ready, &lock);
        struct pending_event *list = retry_head;
        retry_head = NULL;
        pthread_mutex_unlock(&lock);
        usleep(RETRY_DELAY_US);
        while (list) {
            struct pending_event *e = list;
            list = e->next;
            send_event(e);
        }
    }
    return NULL;
}

void publish_init(struct bus *b, int max)
{
    bus = b;
    max_inflight = max;
    pthread_t t;
    pthread_create(&t, NULL, retrier, NULL);
    pthread_detach(t);
}

/* Normalises one record into a pending event (NULL when out of memory);
 * reason, if not NULL, makes it a pipeline error. */
static struct pending_event *prepare(const struct siem_reception *rx, const char *raw, size_t len,
                                     const char *reason)
{
    struct siem_normalised out;
    int r = reason ? siem_normalise_error(rx, raw, len, reason, &out)
                   : siem_normalise(rx, raw, len, &out);
    if (r < 0)
        return NULL;
    struct pending_event *e = calloc(1, sizeof(*e));
    if (!e) {
        siem_normalised_free(&out);
        return NULL;
    }
    norm_counters.parse_errors += (unsigned long)out.pipeline_error;
    norm_counters.truncated += (unsigned long)(rx->truncated != 0);
    memcpy(e->subject, out.subject, sizeof(e->subject));
    memcpy(e->id, out.id, sizeof(e->id));
    e->json = out.json; /* taken over */
    e->len = strlen(out.json);
    return e;
}

static void publish_async(const struct siem_reception *rx, const char *raw, size_t len,
                          const char *reason)
{
    struct pending_event *e = prepare(rx, raw, len, reason);
    if (!e) {
        fprintf(stderr, "normaliser: out of memory; a record from %s was not published\n",
                rx->sender_ip);
        return;
    }
    pthread_mutex_lock(&lock);
    while (norm_counters.inflight >= (unsigned long)max_inflight)
        pthread_cond_wait(&room, &lock);
    norm_counters.inflight++;
    pthread_mutex_unlock(&lock);
    send_event(e);
}

void publish_record(const struct siem_reception *rx, const char *raw, size_t len)
{
    publish_async(rx, raw, len, NULL);
}

void publish_error(const struct siem_reception *rx, const char *raw, size_t len, const char *reason)
{
    publish_async(rx, raw, len, reason);
}

int publish_record_sync(const struct siem_reception *rx, const char *raw, size_t len)
{
    struct pending_event *e = prepare(rx, raw, len, NULL);
    if (!e)
        return -1;
    int r = -1;
    for (int attempt = 0; attempt < 3 && r < 0; attempt++) {
        int duplicate = 0;
        r = js_publish(bus, e->subject, e->id, e->json, e->len, PUBLISH_TIMEOUT_MS, NULL,
                       &duplicate);
        if (r == 0) {
            norm_counters.published++;
            norm_counters.duplicates += (unsigned long)duplicate;
        } else {
            norm_counters.publish_failures++;
            if (attempt < 2)
                usleep(RETRY_DELAY_US);
        }
    }
    free(e->json);
    free(e);
    return r;
}

void publish_counters(cJSON *o)
{
    const struct norm_counters *c = &norm_counters;
    cJSON_AddNumberToObject(o, "received_udp", (double)c->received_udp);
    cJSON_AddNumberToObject(o, "received_tcp", (double)c->received_tcp);
    cJSON_AddNumberToObject(o, "received_relp", (double)c->received_relp);
    cJSON_AddNumberToObject(o, "published", (double)c->published);
    cJSON_AddNumberToObject(o, "duplicates", (double)c->duplicates);
    cJSON_AddNumberToObject(o, "parse_errors", (double)c->parse_errors);
    cJSON_AddNumberToObject(o, "truncated", (double)c->truncated);
    cJSON_AddNumberToObject(o, "publish_retries", (double)c->publish_retries);
    cJSON_AddNumberToObject(o, "publish_failures", (double)c->publish_failures);
    cJSON_AddNumberToObject(o, "inflight", (double)c->inflight);
    cJSON_AddNumberToObject(o, "dropped_quota", (double)c->dropped_quota);
    cJSON_AddNumberToObject(o, "throttled", (double)c->throttled);
    cJSON_AddNumberToObject(o, "tcp_connections", (double)c->tcp_connections);
    cJSON_AddNumberToObject(o, "relp_sessions", (double)c->relp_sessions);
    cJSON_AddNumberToObject(o, "relp_errors", (double)c->relp_errors);
    cJSON_AddNumberToObject(o, "framing_errors", (double)c->framing_errors);
    cJSON_AddNumberToObject(o, "connections_evicted", (double)c->connections_evicted);
    cJSON_AddNumberToObject(o, "connections_timed_out", (double)c->connections_timed_out);
    cJSON_AddNumberToObject(o, "connections_refused", (double)c->connections_refused);
}
