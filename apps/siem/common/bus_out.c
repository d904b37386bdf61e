/* The bus's output buffer and its flusher thread (after nats.c's pending
 * buffer and _flusher): senders append under the lock and wake the
 * flusher once; the flusher writes the whole buffer when it runs. Under
 * the unikernel's cooperative scheduler it runs when the sending thread
 * blocks or yields, so everything sent meanwhile leaves in one write. */
#include "bus_out.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

struct bus_out {
    pthread_mutex_t lock; /* everything below; held across every write */
    pthread_cond_t kick;
    int fd;     /* -1: no connection (or a write failed on it) */
    int kicked; /* the flusher was woken and has not flushed yet */
    size_t len; /* bytes waiting in buf */
    struct bus_out_stats stats;
    char buf[BUS_OUT_SIZE];
};

/* Writes all of data to the connection; on failure shuts it down (its
 * reader then sees the end and reconnects) and forgets it. The lock is
 * held. */
static int write_all(struct bus_out *o, const char *data, size_t len)
{
    while (len > 0 && o->fd >= 0) {
        ssize_t n = send(o->fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            shutdown(o->fd, SHUT_RDWR);
            o->fd = -1;
            o->len = 0;
            break;
        }
        o->stats.writes++;
        o->stats.bytes += (size_t)n;
        data += n;
        len -= (size_t)n;
    }
    if (o->fd < 0) {
        errno = ENOTCONN;
        return -1;
    }
    return 0;
}

static int write_buffer(struct bus_out *o)
{
    size_t len = o->len;
    o->len = 0;
    return len ? write_all(o, o->buf, len) : 0;
}

static void append(struct bus_out *o, const void *data, size_t len)
{
    if (len) /* data may be NULL then */
        memcpy(o->buf + o->len, data, len);
    o->len += len;
}

static void *flusher(void *arg)
{
    struct bus_out *o = arg;
    pthread_mutex_lock(&o->lock);
    for (;;) {
        while (!o->kicked)
            pthread_cond_wait(&o->kick, &o->lock);
        /* Lets the threads that are ready to send add theirs first, as
         * nats.c's flusher does (on Linux, where they run beside it). */
        pthread_mutex_unlock(&o->lock);
        sched_yield();
        pthread_mutex_lock(&o->lock);
        o->kicked = 0;
        write_buffer(o);
    }
    return NULL;
}

struct bus_out *bus_out_new(void)
{
    struct bus_out *o = calloc(1, sizeof(*o));
    if (!o)
        return NULL;
    o->fd = -1;
    pthread_mutex_init(&o->lock, NULL);
    pthread_cond_init(&o->kick, NULL);
    pthread_t t;
    if (pthread_create(&t, NULL, flusher, o) != 0) {
        free(o);
        return NULL;
    }
    pthread_detach(t);
    return o;
}

void bus_out_attach(struct bus_out *o, int fd, const char *first, size_t len)
{
    pthread_mutex_lock(&o->lock);
    o->fd = fd;
    o->len = 0;
    if (len <= sizeof(o->buf))
        append(o, first, len);
    else
        write_all(o, first, len);
    if (o->len && !o->kicked) {
        o->kicked = 1;
        pthread_cond_signal(&o->kick);
    }
    pthread_mutex_unlock(&o->lock);
}

void bus_out_detach(struct bus_out *o)
{
    pthread_mutex_lock(&o->lock);
    o->fd = -1;
    o->len = 0; /* publishers publish again; JetStream redelivers what acks were lost */
    pthread_mutex_unlock(&o->lock);
}

int bus_out_send(struct bus_out *o, const char *head, size_t hlen, const void *data, size_t len,
                 const char *tail, size_t tlen)
{
    int r = 0;
    pthread_mutex_lock(&o->lock);
    if (o->fd < 0) {
        pthread_mutex_unlock(&o->lock);
        errno = ENOTCONN;
        return -1;
    }
    size_t total = hlen + len + tlen;
    if (total > sizeof(o->buf) - o->len)
        r = write_buffer(o); /* full: the caller writes it out */
    if (r == 0 && total <= sizeof(o->buf)) {
        append(o, head, hlen);
        append(o, data, len);
        append(o, tail, tlen);
    } else if (r == 0) {
        /* Larger than the buffer: the data goes out without a copy. */
        r = write_all(o, head, hlen);
        if (r == 0)
            r = write_all(o, data, len);
        if (r == 0)
            append(o, tail, tlen);
    }
    if (r == 0 && o->len && !o->kicked) {
        o->kicked = 1;
        o->stats.kicks++;
        pthread_cond_signal(&o->kick);
    }
    pthread_mutex_unlock(&o->lock);
    return r;
}

int bus_out_flush(struct bus_out *o)
{
    pthread_mutex_lock(&o->lock);
    int r = o->fd < 0 ? (errno = ENOTCONN, -1) : write_buffer(o);
    pthread_mutex_unlock(&o->lock);
    return r;
}

void bus_out_stats(struct bus_out *o, struct bus_out_stats *s)
{
    pthread_mutex_lock(&o->lock);
    *s = o->stats;
    pthread_mutex_unlock(&o->lock);
}
