/* Turning received syslog records into events on the bus: normalise,
 * publish with the event id as Nats-Msg-Id, and keep each UDP/TCP event
 * until JetStream acknowledged it (republishing after a failure); a RELP
 * event is tried a few times and its session told how it went. */
#include "publish.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "puback.h"

#define PUBLISH_TIMEOUT_MS 10000
#define RETRY_DELAY_US (500 * 1000)
/* Publishes of a RELP event before its session gives up (and closes, so
 * the sender sends the record again). */
#define RELP_ATTEMPTS 3

struct norm_counters norm_counters;

/* One event on its way to the stream. */
struct pending_event {
    struct pending_event *next;
    char subject[SIEM_SUBJECT_LEN];
    char id[SIEM_EVENT_ID_LEN];
    char *json;
    size_t len;
    /* RELP only (else NULL): the session's window, and where its result
     * goes (1 stored, -1 failed). */
    struct publish_ack *ack;
    int *status;
    int attempts;
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

/* A RELP event's end: its session learns the result. */
static void settle(struct pending_event *e, int status)
{
    pthread_mutex_lock(&lock);
    *e->status = status;
    if (--e->ack->pending == 0)
        pthread_cond_broadcast(&e->ack->done);
    pthread_mutex_unlock(&lock);
    free(e->json);
    free(e);
}

static void retry_later(struct pending_event *e)
{
    pthread_mutex_lock(&lock);
    norm_counters.publish_retries += (unsigned long)(e->ack == NULL);
    e->next = retry_head;
    retry_head = e;
    pthread_cond_signal(&retry_ready);
    pthread_mutex_unlock(&lock);
}

/* A publish that failed: again later, unless a RELP event is out of
 * attempts. */
static void failed(struct pending_event *e)
{
    if (e->ack) {
        norm_counters.publish_failures++;
        if (++e->attempts >= RELP_ATTEMPTS) {
            settle(e, -1);
            return;
        }
    }
    retry_later(e);
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
        if (e->ack)
            settle(e, 1);
        else
            done(e);
        return;
    }
    if (norm_counters.publish_retries % 100 == 0)
        fprintf(stderr, "normaliser: event %s not acknowledged: %s; publishing it again\n", e->id,
                m ? (m->status ? m->headers : m->data) : "no reply in time");
    bus_msg_free(m);
    failed(e);
}

static void send_event(struct pending_event *e)
{
    if (bus_request_async(bus, e->subject, e->id, e->json, e->len, PUBLISH_TIMEOUT_MS, on_reply,
                          e) < 0)
        failed(e);
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

/* Publishes one record without waiting for JetStream. With wait, blocks
 * while max_inflight events are unacknowledged; without, returns -1 then
 * (nothing published). */
static int publish_async(const struct siem_reception *rx, const char *raw, size_t len,
                         const char *reason, int wait)
{
    if (!wait && norm_counters.inflight >= (unsigned long)max_inflight)
        return -1;
    struct pending_event *e = prepare(rx, raw, len, reason);
    if (!e) {
        fprintf(stderr, "normaliser: out of memory; a record from %s was not published\n",
                rx->sender_ip);
        return 0;
    }
    pthread_mutex_lock(&lock);
    while (norm_counters.inflight >= (unsigned long)max_inflight)
        pthread_cond_wait(&room, &lock);
    norm_counters.inflight++;
    pthread_mutex_unlock(&lock);
    send_event(e);
    return 0;
}

void publish_record(const struct siem_reception *rx, const char *raw, size_t len)
{
    publish_async(rx, raw, len, NULL, 1);
}

int publish_record_nowait(const struct siem_reception *rx, const char *raw, size_t len)
{
    return publish_async(rx, raw, len, NULL, 0);
}

void publish_error(const struct siem_reception *rx, const char *raw, size_t len, const char *reason)
{
    publish_async(rx, raw, len, reason, 1);
}

void publish_ack_init(struct publish_ack *a)
{
    a->pending = 0;
    pthread_cond_init(&a->done, NULL);
}

int publish_record_acked(const struct siem_reception *rx, const char *raw, size_t len,
                         struct publish_ack *a, int *status)
{
    struct pending_event *e = prepare(rx, raw, len, NULL);
    if (!e)
        return -1;
    e->ack = a;
    e->status = status;
    *status = 0;
    pthread_mutex_lock(&lock);
    a->pending++;
    pthread_mutex_unlock(&lock);
    send_event(e);
    return 0;
}

void publish_ack_wait(struct publish_ack *a)
{
    pthread_mutex_lock(&lock);
    while (a->pending > 0)
        pthread_cond_wait(&a->done, &lock);
    pthread_mutex_unlock(&lock);
}
