/* The pull consumer (pull.h): pull requests on $JS.API.CONSUMER.MSG.NEXT
 * delivered to a private inbox, collected into batches. */
#include "pull.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jetstream.h"

/* A request whose status message never came (lost with a connection) is
 * taken as over this long after it expired. */
#define LOST_AFTER_MS 2000
/* The pause after a request refused with nothing delivered. */
#define REFUSED_PAUSE_MS 100

struct pull {
    struct bus *bus;
    struct pull_opts o;
    char stream[64], consumer[64], inbox[96];
    struct bus_queue *q;
    int open;       /* a pull request is outstanding */
    int left;       /* messages it may still deliver */
    int64_t issued; /* when it was sent (monotonic ms) */
    unsigned long statuses;
};

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct pull *pull_new(struct bus *b, const char *stream, const char *consumer,
                      const struct pull_opts *opts)
{
    struct pull *p = calloc(1, sizeof(*p));
    if (!p || opts->batch < 1 || strlen(stream) >= sizeof(p->stream) ||
        strlen(consumer) >= sizeof(p->consumer)) {
        free(p);
        errno = p ? EINVAL : ENOMEM;
        return NULL;
    }
    p->bus = b;
    p->o = *opts;
    if (p->o.expires_ms <= 0)
        p->o.expires_ms = PULL_EXPIRES_MS;
    if (p->o.idle_ms <= 0)
        p->o.idle_ms = PULL_IDLE_MS;
    snprintf(p->stream, sizeof(p->stream), "%s", stream);
    snprintf(p->consumer, sizeof(p->consumer), "%s", consumer);
    bus_new_inbox(b, p->inbox, sizeof(p->inbox));
    if (!(p->q = bus_subscribe(b, p->inbox))) {
        int e = errno;
        free(p);
        errno = e;
        return NULL;
    }
    return p;
}

void pull_free(struct pull *p)
{
    if (!p)
        return;
    bus_unsubscribe(p->q);
    free(p);
}

/* Sends the next pull request unless one is outstanding. */
static int request(struct pull *p)
{
    if (p->open)
        return 0;
    if (js_fetch(p->bus, p->stream, p->consumer, p->inbox, p->o.batch, p->o.expires_ms) < 0)
        return -1;
    p->open = 1;
    p->left = p->o.batch;
    p->issued = now_ms();
    return 0;
}

int pull_fetch(struct pull *p, struct bus_msg **out, int timeout_ms)
{
    int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
    int n = 0;
    while (n < p->o.batch) {
        if (request(p) < 0) {
            if (n > 0)
                break;
            int e = errno;
            usleep(PULL_RETRY_MS * 1000);
            errno = e;
            return -1;
        }
        int64_t now = now_ms();
        int wait = n > 0 ? p->o.idle_ms : (int)(deadline > now ? deadline - now : 0);
        struct bus_msg *m = bus_queue_pop(p->q, wait);
        if (!m) {
            if (n > 0 || now_ms() >= deadline) {
                /* Still outstanding, unless long expired: its status
                 * message was lost with a connection. */
                if (now_ms() - p->issued > p->o.expires_ms + LOST_AFTER_MS)
                    p->open = 0;
                break;
            }
            continue;
        }
        if (m->status) { /* 404, 408, 409: this request is over */
            int status = m->status;
            bus_msg_free(m);
            p->open = 0;
            p->statuses++;
            if (n > 0 || now_ms() >= deadline)
                break;
            if (status != 408) {
                /* Refused at once (a 409 such as too many waiting
                 * requests): pause rather than ask again at once. */
                int64_t rest = deadline - now_ms();
                usleep((useconds_t)(rest < REFUSED_PAUSE_MS ? rest : REFUSED_PAUSE_MS) * 1000);
                break;
            }
            continue; /* expired empty and time left: the next request */
        }
        out[n++] = m;
        if (--p->left == 0)
            p->open = 0;
    }
    /* Pipelined: the next batch is on its way while the caller works on
     * this one. Safe for both ack policies: what arrives meanwhile has
     * higher stream sequences than this batch, so an AckAll for this
     * batch's last message never covers it. A failure here is retried
     * by the next fetch. */
    request(p);
    return n;
}

int pull_ack(struct pull *p, const struct bus_msg *m)
{
    return js_ack(p->bus, m);
}

int pull_ack_batch(struct pull *p, struct bus_msg *const *msgs, int n)
{
    if (n <= 0)
        return 0;
    if (p->o.ack_all)
        return js_ack(p->bus, msgs[n - 1]);
    size_t cap = 0;
    for (int i = 0; i < n; i++)
        cap += strlen(msgs[i]->reply) + 24; /* "PUB <reply> 4\r\n+ACK\r\n" */
    char *buf = malloc(cap);
    if (!buf) {
        errno = ENOMEM;
        return -1;
    }
    size_t len = 0;
    for (int i = 0; i < n; i++) {
        if (!msgs[i]->reply[0] || strpbrk(msgs[i]->reply, " \t\r\n")) {
            free(buf);
            errno = EINVAL;
            return -1;
        }
        len += (size_t)snprintf(buf + len, cap - len, "PUB %s 4\r\n+ACK\r\n", msgs[i]->reply);
    }
    int r = bus_send(p->bus, buf, len);
    free(buf);
    return r;
}

unsigned long pull_statuses(const struct pull *p)
{
    return p->statuses;
}
