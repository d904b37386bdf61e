/* The request responder (serve.h). */
#include "serve.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"

struct serve {
    struct bus *bus;
    struct bus_queue *q;
    serve_fn fn;
    void *ctx;
    unsigned long requests, errors;
};

int serve_error(struct bus *b, const char *reply, const char *msg)
{
    /* A header value is one line of printable text. */
    char value[256];
    size_t n = 0;
    for (const char *s = msg; *s && n < sizeof(value) - 1; s++)
        value[n++] = (unsigned char)*s < ' ' || *s == 0x7f ? ' ' : *s;
    value[n] = '\0';
    cJSON *o = cJSON_CreateObject();
    char *body = o && cJSON_AddStringToObject(o, "error", value) ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    const char *text = body ? body : "{\"error\":\"out of memory\"}";
    int r = bus_publish_header(b, reply, NULL, SERVE_ERROR_HEADER, value, text, strlen(text));
    cJSON_free(body);
    return r;
}

static void answer(struct serve *s, const struct bus_msg *m)
{
    /* Room for the largest header an error reply adds. */
    size_t max = bus_max_payload(s->bus);
    max = max > 1024 ? max - 1024 : 0;
    struct serve_reply r = {0};
    s->fn(s->ctx, m, max, &r);
    s->requests++;
    if (!r.error[0] && !r.body)
        snprintf(r.error, sizeof(r.error), "out of memory");
    if (!r.error[0] && r.len > max)
        snprintf(r.error, sizeof(r.error),
                 "the reply of %zu bytes is larger than the bus carries (%zu)", r.len, max);
    int rc;
    if (r.error[0]) {
        s->errors++;
        rc = serve_error(s->bus, m->reply, r.error);
    } else {
        rc = bus_publish(s->bus, m->reply, NULL, NULL, r.body, r.len);
    }
    if (rc < 0)
        fprintf(stderr, "serve: %s: the reply was not sent: %s\n", m->subject, strerror(errno));
    free(r.body);
}

static void *loop(void *arg)
{
    struct serve *s = arg;
    for (;;) {
        struct bus_msg *m = bus_queue_pop(s->q, 60000);
        if (m && m->reply[0])
            answer(s, m);
        bus_msg_free(m);
    }
    return NULL;
}

struct serve *serve_start(struct bus *b, const char *module, const char *subject, serve_fn fn,
                          void *ctx)
{
    struct serve *s = calloc(1, sizeof(*s));
    if (!s || !(s->q = bus_subscribe(b, subject))) {
        fprintf(stderr, "%s: cannot serve %s: %s\n", module, subject, strerror(errno));
        exit(1);
    }
    s->bus = b;
    s->fn = fn;
    s->ctx = ctx;
    pthread_t t;
    if (pthread_create(&t, NULL, loop, s) != 0) {
        fprintf(stderr, "%s: cannot start the responder of %s\n", module, subject);
        exit(1);
    }
    pthread_detach(t);
    return s;
}

unsigned long serve_requests(const struct serve *s)
{
    return s->requests;
}

unsigned long serve_errors(const struct serve *s)
{
    return s->errors;
}
