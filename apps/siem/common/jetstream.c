/* JetStream over the bus: streams, durable and ephemeral pull consumers,
 * publish with acknowledgement, fetch, ack. */
#include "jetstream.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cJSON.h"
#include "puback.h"
#include "siemtime.h"

#define API_TIMEOUT_MS 5000

/* One JetStream API call: the reply parsed as JSON (NULL on a transport
 * error, errno set). */
static cJSON *api(struct bus *b, const char *subject, const char *body)
{
    struct bus_msg *m = NULL;
    if (bus_request(b, subject, NULL, body, body ? strlen(body) : 0, API_TIMEOUT_MS, &m) < 0)
        return NULL;
    cJSON *j = cJSON_Parse(m->data);
    bus_msg_free(m);
    if (!j)
        errno = EPROTO;
    return j;
}

/* The API error code in a reply (0 when it is not an error). */
static int api_error(const cJSON *j, const char *what)
{
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
    if (!e)
        return 0;
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(e, "code");
    const cJSON *desc = cJSON_GetObjectItemCaseSensitive(e, "description");
    if (what)
        fprintf(stderr, "jetstream: %s: %s\n", what,
                cJSON_IsString(desc) ? desc->valuestring : "error");
    return cJSON_IsNumber(code) ? code->valueint : 500;
}

/* Repeats an API call until the server answers (it may still be starting). */
static cJSON *api_retry(struct bus *b, const char *subject, const char *body)
{
    cJSON *j;
    int tries = 0;
    while (!(j = api(b, subject, body))) {
        if (++tries % 10 == 1)
            fprintf(stderr, "jetstream: %s: %s; retrying\n", subject, strerror(errno));
        sleep(1);
    }
    return j;
}

void js_wait_consumer(struct bus *b, const char *stream, const char *durable)
{
    char subject[160];
    snprintf(subject, sizeof(subject), "$JS.API.CONSUMER.INFO.%s.%s", stream, durable);
    for (int tries = 0;; tries++) {
        cJSON *j = api_retry(b, subject, NULL);
        int code = api_error(j, NULL);
        cJSON_Delete(j);
        if (code == 0)
            return;
        if (tries % 60 == 0)
            fprintf(stderr,
                    "jetstream: waiting for consumer %s on stream %s (error %d); the operator "
                    "creates it (tools/siem up)\n",
                    durable, stream, code);
        sleep(1);
    }
}

int js_publish(struct bus *b, const char *subject, const char *msg_id, const void *data, size_t len,
               int timeout_ms, uint64_t *seq, int *duplicate)
{
    struct bus_msg *m = NULL;
    if (bus_request(b, subject, msg_id, data, len, timeout_ms, &m) < 0)
        return -1;
    enum js_puback r = js_puback_scan(m->data, m->len, seq, duplicate);
    if (r == JS_PUBACK_ERROR)
        fprintf(stderr, "jetstream: publish: %.*s\n", (int)(m->len > 200 ? 200 : m->len), m->data);
    bus_msg_free(m);
    return r == JS_PUBACK_STORED ? 0 : (errno = EPROTO, -1);
}

int js_fetch(struct bus *b, const char *stream, const char *consumer, const char *inbox, int batch,
             int expires_ms)
{
    char subject[160], body[96];
    snprintf(subject, sizeof(subject), "$JS.API.CONSUMER.MSG.NEXT.%s.%s", stream, consumer);
    int n = snprintf(body, sizeof(body), "{\"batch\":%d,\"expires\":%lld}", batch,
                     (long long)expires_ms * 1000000LL);
    return bus_publish(b, subject, inbox, NULL, body, (size_t)n);
}

int js_ack(struct bus *b, const struct bus_msg *m)
{
    if (!m->reply[0]) {
        errno = EINVAL;
        return -1;
    }
    return bus_publish(b, m->reply, NULL, NULL, "+ACK", 4);
}

int js_msg_meta(const struct bus_msg *m, uint64_t *stream_seq, int64_t *time_ns)
{
    /* $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<time>.<pending>,
     * or with <domain>.<account hash> after ACK and a token at the end. */
    const char *tok[16];
    int n = 0;
    char copy[256];
    if (strncmp(m->reply, "$JS.ACK.", 8) != 0 || strlen(m->reply) >= sizeof(copy))
        return -1;
    strcpy(copy, m->reply);
    char *save = NULL;
    for (char *t = strtok_r(copy, ".", &save); t && n < 16; t = strtok_r(NULL, ".", &save))
        tok[n++] = t;
    int base = n == 9 ? 2 : n >= 11 ? 4 : -1;
    if (base < 0)
        return -1;
    *stream_seq = strtoull(tok[base + 3], NULL, 10);
    *time_ns = strtoll(tok[base + 5], NULL, 10);
    return 0;
}

int js_consumer_ack_floor(struct bus *b, const char *stream, const char *durable,
                          uint64_t *stream_seq)
{
    char subject[160];
    snprintf(subject, sizeof(subject), "$JS.API.CONSUMER.INFO.%s.%s", stream, durable);
    cJSON *j = api(b, subject, NULL);
    if (!j)
        return -1;
    const cJSON *floor = cJSON_GetObjectItemCaseSensitive(j, "ack_floor");
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(floor, "stream_seq");
    int ok = !api_error(j, "consumer info") && cJSON_IsNumber(s);
    *stream_seq = ok ? (uint64_t)s->valuedouble : 0;
    cJSON_Delete(j);
    return ok ? 0 : (errno = EPROTO, -1);
}

int js_stream_msg_time(struct bus *b, const char *stream, uint64_t seq, int64_t *time_ns)
{
    char subject[160], body[64];
    snprintf(subject, sizeof(subject), "$JS.API.STREAM.MSG.GET.%s", stream);
    snprintf(body, sizeof(body), "{\"seq\":%llu}", (unsigned long long)seq);
    cJSON *j = api(b, subject, body);
    if (!j)
        return -1;
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(j, "message");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(msg, "time");
    /* The server writes UTC with up to 9 fraction digits,
     * "2026-12-01T04:02:41.65352668Z". */
    int ok = !api_error(j, "message get") && cJSON_IsString(t) &&
             siem_time_parse_ns(t->valuestring, time_ns) == 0;
    cJSON_Delete(j);
    return ok ? 0 : (errno = EPROTO, -1);
}

int js_delete_consumer(struct bus *b, const char *stream, const char *name)
{
    char subject[160];
    snprintf(subject, sizeof(subject), "$JS.API.CONSUMER.DELETE.%s.%s", stream, name);
    cJSON *j = api(b, subject, NULL);
    if (!j)
        return -1;
    int code = api_error(j, NULL);
    cJSON_Delete(j);
    return code == 0 || code == 404 ? 0 : (errno = EPROTO, -1);
}

int js_replay_consumer(struct bus *b, const char *stream, const char *name, int64_t start_ns,
                       uint64_t start_seq)
{
    char subject[160], body[512], when[SIEM_TIME_LEN], start[128];
    if (start_ns) {
        /* Milliseconds, rounded down: the consumer starts at most 1 ms
         * early, never late. */
        if (siem_time_format_ns(start_ns, when) < 0) {
            errno = EINVAL;
            return -1;
        }
        snprintf(start, sizeof(start),
                 "\"deliver_policy\":\"by_start_time\",\"opt_start_time\":\"%s\"", when);
    } else {
        snprintf(start, sizeof(start),
                 "\"deliver_policy\":\"by_start_sequence\",\"opt_start_seq\":%llu",
                 (unsigned long long)start_seq);
    }
    if (js_delete_consumer(b, stream, name) < 0)
        return -1;
    snprintf(subject, sizeof(subject), "$JS.API.CONSUMER.CREATE.%s.%s", stream, name);
    snprintf(body, sizeof(body),
             "{\"stream_name\":\"%s\",\"config\":{\"name\":\"%s\",%s,\"ack_policy\":\"explicit\","
             "\"ack_wait\":%lld,\"max_ack_pending\":-1,\"inactive_threshold\":%lld}}",
             stream, name, start, 3600LL * 1000000000LL, 60LL * 1000000000LL);
    cJSON *j = api(b, subject, body);
    if (!j)
        return -1;
    int ok = !api_error(j, "create replay consumer");
    cJSON_Delete(j);
    return ok ? 0 : (errno = EPROTO, -1);
}

int js_stream_last_seq(struct bus *b, const char *stream, uint64_t *seq)
{
    char subject[128];
    snprintf(subject, sizeof(subject), "$JS.API.STREAM.INFO.%s", stream);
    cJSON *j = api(b, subject, NULL);
    if (!j)
        return -1;
    const cJSON *state = cJSON_GetObjectItemCaseSensitive(j, "state");
    const cJSON *last = cJSON_GetObjectItemCaseSensitive(state, "last_seq");
    int ok = !api_error(j, "stream info") && cJSON_IsNumber(last);
    *seq = ok ? (uint64_t)last->valuedouble : 0;
    cJSON_Delete(j);
    return ok ? 0 : (errno = EPROTO, -1);
}
