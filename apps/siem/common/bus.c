/* The SIEM modules' NATS client: connection, reader thread, publish,
 * requests and queued subscriptions (protocol: docs.nats.io "Client
 * Protocol"; headers as in NATS/1.0 HMSG/HPUB). */
#include "bus.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bus_out.h"
#include "bus_pending.h"
#include "bus_wire.h"

#define MAX_SUBS BUS_MAX_SUBS
#define RX_BUF (256 * 1024)

struct bus_queue {
    struct bus *bus;
    int sid;
    char subject[128];
    struct bus_msg *head, *tail;
    size_t msgs, bytes;         /* waiting in the queue */
    size_t max_msgs, max_bytes; /* past these, messages are dropped */
    unsigned long dropped;
    pthread_cond_t ready;
};

struct bus {
    char host[128];
    int port;
    char name[48];
    int has_id;
    struct nkey id;
    int fd;              /* the reader's; writes go through out */
    struct bus_out *out; /* everything sent, in the order of the calls */
    int connected;
    unsigned reconnects;
    unsigned long dropped; /* by every queue: slow consumers */
    size_t max_payload;
    char inbox[56]; /* "_INBOX.<name, 24 at most>.<random>" */
    uint64_t next_id;
    pthread_mutex_t lock; /* everything below, and the fields above */
    pthread_cond_t changed;
    struct bus_queue *subs[MAX_SUBS];
    int last_sid; /* sids are never reused: a message still on its way to
                   * an ended subscription must not reach a new one */
    struct pending_set pending;
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static struct timespec abs_time(int64_t ns)
{
    struct timespec ts = {.tv_sec = ns / 1000000000, .tv_nsec = ns % 1000000000};
    return ts;
}

/* Writes all of buf on a fd of its own (the handshake, before the
 * connection is handed to out). */
static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static int send_raw(struct bus *b, const char *buf, size_t len)
{
    return bus_out_send(b->out, buf, len, NULL, 0, NULL, 0);
}

int bus_publish(struct bus *b, const char *subject, const char *reply, const char *msg_id,
                const void *data, size_t len)
{
    if (!subject || !*subject || (len && !data)) {
        errno = EINVAL;
        return -1;
    }
    if (len > b->max_payload) {
        errno = EMSGSIZE;
        return -1;
    }
    /* The control line and headers are formatted here, the data copied
     * once, into the output buffer (or not at all when it is large). */
    char head[BUS_WIRE_HEAD_MAX];
    int n = bus_wire_pub_head(head, sizeof(head), subject, reply, msg_id, len);
    if (n < 0) {
        errno = EINVAL;
        return -1;
    }
    return bus_out_send(b->out, head, (size_t)n, data, len, "\r\n", 2);
}

int bus_flush(struct bus *b)
{
    return bus_out_flush(b->out);
}

unsigned long bus_writes(struct bus *b)
{
    struct bus_out_stats st;
    bus_out_stats(b->out, &st);
    return st.writes;
}

void bus_new_inbox(struct bus *b, char *buf, size_t size)
{
    pthread_mutex_lock(&b->lock);
    uint64_t id = ++b->next_id;
    pthread_mutex_unlock(&b->lock);
    snprintf(buf, size, "%s.s%llu", b->inbox, (unsigned long long)id);
}

static int start_request(struct bus *b, const char *subject, const char *msg_id, const void *data,
                         size_t len, int timeout_ms, struct pending *p)
{
    char reply[96];
    pthread_mutex_lock(&b->lock);
    p->id = ++b->next_id;
    p->deadline_ns = now_ns() + (int64_t)timeout_ms * 1000000;
    pending_add(&b->pending, p);
    pthread_mutex_unlock(&b->lock);
    /* "<inbox>.r.<id>", for every request: no printf (slow under TCG). */
    size_t n = strlen(b->inbox);
    memcpy(reply, b->inbox, n);
    memcpy(reply + n, ".r.", 3);
    bus_wire_u64(reply + n + 3, p->id);
    if (bus_publish(b, subject, reply, msg_id, data, len) == 0)
        return 0;
    int e = errno;
    pthread_mutex_lock(&b->lock);
    pending_remove(&b->pending, p);
    pthread_mutex_unlock(&b->lock);
    errno = e;
    return -1;
}

int bus_request(struct bus *b, const char *subject, const char *msg_id, const void *data,
                size_t len, int timeout_ms, struct bus_msg **out)
{
    struct pending p = {0};
    *out = NULL;
    if (start_request(b, subject, msg_id, data, len, timeout_ms, &p) < 0)
        return -1;
    pthread_mutex_lock(&b->lock);
    while (!p.finished) {
        struct timespec ts = abs_time(p.deadline_ns);
        if (pthread_cond_timedwait(&b->changed, &b->lock, &ts) == ETIMEDOUT && !p.finished) {
            pending_remove(&b->pending, &p);
            pthread_mutex_unlock(&b->lock);
            errno = ETIMEDOUT;
            return -1;
        }
    }
    pthread_mutex_unlock(&b->lock);
    if (!p.msg) { /* the connection went, or the expirer timed it out */
        errno = now_ns() >= p.deadline_ns ? ETIMEDOUT : ENOTCONN;
        return -1;
    }
    if (p.msg->status == 503) {
        bus_msg_free(p.msg);
        errno = ENOENT;
        return -1;
    }
    *out = p.msg;
    return 0;
}

int bus_request_async(struct bus *b, const char *subject, const char *msg_id, const void *data,
                      size_t len, int timeout_ms, bus_reply_fn done, void *ctx)
{
    struct pending *p = calloc(1, sizeof(*p));
    if (!p) {
        errno = ENOMEM;
        return -1;
    }
    p->done = done;
    p->ctx = ctx;
    if (start_request(b, subject, msg_id, data, len, timeout_ms, p) < 0) {
        int e = errno;
        free(p);
        errno = e;
        return -1;
    }
    return 0;
}

/* Completes the requests of list (already out of the pending set),
 * the first with msg (a reply goes to one request only), the others with
 * NULL; the caller holds lock. Asynchronous callbacks run after the lock
 * is dropped. */
static void finish(struct bus *b, struct pending *list, struct bus_msg *msg)
{
    struct pending *done_list = NULL;
    int woken = 0;
    while (list) {
        struct pending *p = list;
        list = p->next;
        p->msg = msg;
        msg = NULL;
        if (p->done) {
            p->next = done_list;
            done_list = p;
        } else {
            p->finished = 1;
            woken = 1;
        }
    }
    /* Only synchronous callers wait on changed: an asynchronous reply
     * (the normaliser's acks) wakes nobody. */
    if (woken)
        pthread_cond_broadcast(&b->changed);
    if (!done_list) {
        bus_msg_free(msg);
        return;
    }
    pthread_mutex_unlock(&b->lock);
    while (done_list) {
        struct pending *p = done_list;
        done_list = p->next;
        p->done(p->ctx, p->msg);
        free(p);
    }
    bus_msg_free(msg);
    pthread_mutex_lock(&b->lock);
}

struct bus_queue *bus_subscribe(struct bus *b, const char *subject)
{
    struct bus_queue *q = calloc(1, sizeof(*q));
    if (!q || strlen(subject) >= sizeof(q->subject)) {
        free(q);
        errno = q ? EINVAL : ENOMEM;
        return NULL;
    }
    q->bus = b;
    snprintf(q->subject, sizeof(q->subject), "%s", subject);
    q->max_msgs = BUS_PENDING_MSGS;
    q->max_bytes = BUS_PENDING_BYTES;
    pthread_cond_init(&q->ready, NULL);
    pthread_mutex_lock(&b->lock);
    int slot = -1;
    for (int i = 0; i < MAX_SUBS; i++) {
        if (!b->subs[i]) {
            slot = i;
            break;
        }
    }
    if (slot >= 0) {
        q->sid = ++b->last_sid;
        b->subs[slot] = q;
        /* Under the lock, as a reconnect lists the subscriptions: either
         * this SUB goes out on the connection, or the reconnect sends it
         * (when down, this one fails). Through the output buffer, so it
         * stays in order with what this thread publishes next. */
        char line[200];
        int n = snprintf(line, sizeof(line), "SUB %s %d\r\n", q->subject, q->sid);
        send_raw(b, line, (size_t)n);
    }
    pthread_mutex_unlock(&b->lock);
    if (slot < 0) {
        pthread_cond_destroy(&q->ready);
        free(q);
        errno = ENOSPC;
        return NULL;
    }
    return q;
}

struct bus_msg *bus_queue_pop(struct bus_queue *q, int timeout_ms)
{
    struct bus *b = q->bus;
    int64_t deadline = now_ns() + (int64_t)timeout_ms * 1000000;
    pthread_mutex_lock(&b->lock);
    while (!q->head) {
        struct timespec ts = abs_time(deadline);
        if (timeout_ms <= 0 ||
            (pthread_cond_timedwait(&q->ready, &b->lock, &ts) == ETIMEDOUT && !q->head)) {
            pthread_mutex_unlock(&b->lock);
            errno = ETIMEDOUT;
            return NULL;
        }
    }
    struct bus_msg *m = q->head;
    q->head = m->next;
    if (!q->head)
        q->tail = NULL;
    m->next = NULL;
    q->msgs--;
    q->bytes -= m->len;
    pthread_mutex_unlock(&b->lock);
    return m;
}

void bus_unsubscribe(struct bus_queue *q)
{
    if (!q)
        return;
    struct bus *b = q->bus;
    char line[32];
    int n = snprintf(line, sizeof(line), "UNSUB %d\r\n", q->sid);
    send_raw(b, line, (size_t)n);
    pthread_mutex_lock(&b->lock);
    for (int i = 0; i < MAX_SUBS; i++) {
        if (b->subs[i] == q)
            b->subs[i] = NULL;
    }
    pthread_mutex_unlock(&b->lock);
    while (q->head) {
        struct bus_msg *m = q->head;
        q->head = m->next;
        bus_msg_free(m);
    }
    pthread_cond_destroy(&q->ready);
    free(q);
}

void bus_queue_limits(struct bus_queue *q, size_t max_msgs, size_t max_bytes)
{
    pthread_mutex_lock(&q->bus->lock);
    q->max_msgs = max_msgs;
    q->max_bytes = max_bytes;
    pthread_mutex_unlock(&q->bus->lock);
}

unsigned long bus_queue_dropped(struct bus_queue *q)
{
    return q->dropped;
}

unsigned long bus_dropped(struct bus *b)
{
    return b->dropped;
}

/* The subscription with sid (the lock is held); NULL when it ended. */
static struct bus_queue *queue_of(struct bus *b, int sid)
{
    for (int i = 0; i < MAX_SUBS; i++) {
        if (b->subs[i] && b->subs[i]->sid == sid)
            return b->subs[i];
    }
    return NULL;
}

/* Hands a received message to its request or subscription. */
static void deliver(struct bus *b, int sid, struct bus_msg *m)
{
    struct bus_queue *q;
    size_t plen = strlen(b->inbox);
    pthread_mutex_lock(&b->lock);
    if (strncmp(m->subject, b->inbox, plen) == 0 && strncmp(m->subject + plen, ".r.", 3) == 0) {
        uint64_t id = strtoull(m->subject + plen + 3, NULL, 10);
        finish(b, pending_take(&b->pending, id), m);
    } else if ((q = queue_of(b, sid))) {
        if (q->msgs >= q->max_msgs || q->bytes + m->len > q->max_bytes) {
            /* A consumer this far behind loses messages rather than the
             * module its memory; JetStream redelivers what was pulled. */
            if (q->dropped++ == 0)
                fprintf(stderr,
                        "bus: %s: over its pending limits (%zu messages, %zu bytes); dropping\n",
                        q->subject, q->max_msgs, q->max_bytes);
            b->dropped++;
            bus_msg_free(m);
        } else {
            if (q->tail)
                q->tail->next = m;
            else
                q->head = m;
            q->tail = m;
            q->msgs++;
            q->bytes += m->len;
            pthread_cond_signal(&q->ready);
        }
    } else {
        bus_msg_free(m);
    }
    pthread_mutex_unlock(&b->lock);
}

/* Opens the TCP connection and does the INFO/CONNECT/PING handshake. */
static int dial(struct bus *b, struct bus_rx *rx)
{
    char port[8];
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *ai = NULL;
    snprintf(port, sizeof(port), "%d", b->port);
    if (getaddrinfo(b->host, port, &hints, &ai) != 0 || !ai)
        return -1;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
        freeaddrinfo(ai);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    freeaddrinfo(ai);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    bus_rx_reset(rx, fd);
    char *line = bus_rx_line(rx);
    if (!line || strncmp(line, "INFO ", 5) != 0) {
        close(fd);
        return -1;
    }
    b->max_payload = bus_wire_info_max_payload(line + 5);
    /* With nkey users configured the server sends a nonce to sign. */
    char nonce[128], sig[NKEY_SIG_SIZE], auth[NKEY_PUBLIC_LEN + NKEY_SIG_SIZE + 32] = "";
    if (b->has_id && bus_wire_info_string(line + 5, "nonce", nonce, sizeof(nonce)) == 0) {
        nkey_sign(&b->id, nonce, strlen(nonce), sig);
        snprintf(auth, sizeof(auth), ",\"nkey\":\"%s\",\"sig\":\"%s\"", b->id.public_key, sig);
    }
    char hello[640];
    int n = snprintf(hello, sizeof(hello),
                     "CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,"
                     "\"no_responders\":true,\"name\":\"%s\",\"lang\":\"c\",\"version\":\"1\","
                     "\"protocol\":1%s}\r\nPING\r\n",
                     b->name, auth);
    if (write_all(fd, hello, (size_t)n) < 0) {
        close(fd);
        return -1;
    }
    while ((line = bus_rx_line(rx)) && strcmp(line, "PONG") != 0) {
        if (strncmp(line, "-ERR", 4) == 0) {
            fprintf(stderr, "bus: server refused the connection: %s\n", line);
            close(fd);
            return -1;
        }
    }
    if (!line) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Connects (with backoff) and re-subscribes every queue. */
static void establish(struct bus *b, struct bus_rx *rx)
{
    int delay_ms = 100, fd, tries = 0;
    while ((fd = dial(b, rx)) < 0) {
        if (++tries == 1 || tries % 20 == 0)
            fprintf(stderr, "bus: cannot reach NATS at %s:%d; retrying\n", b->host, b->port);
        usleep((useconds_t)delay_ms * 1000);
        delay_ms = delay_ms < 2000 ? delay_ms * 2 : 2000;
    }
    /* The subscriptions go first, the inbox's last, in the output
     * buffer it is handed with: nothing published after this can pass
     * them. */
    size_t cap = (MAX_SUBS + 1) * 160, len = 0;
    char *subs = malloc(cap);
    pthread_mutex_lock(&b->lock);
    b->fd = fd;
    for (int i = 0; subs && i < MAX_SUBS; i++) {
        if (b->subs[i])
            len += (size_t)snprintf(subs + len, cap - len, "SUB %s %d\r\n", b->subs[i]->subject,
                                    b->subs[i]->sid);
    }
    if (subs)
        len += (size_t)snprintf(subs + len, cap - len, "SUB %s.r.* 0\r\n", b->inbox);
    bus_out_attach(b->out, fd, subs, len);
    b->connected = 1;
    pthread_cond_broadcast(&b->changed);
    pthread_mutex_unlock(&b->lock);
    free(subs);
    printf("bus: connected to NATS at %s:%d\n", b->host, b->port);
}

static void lose_connection(struct bus *b)
{
    /* What was not written yet is dropped: publishers publish again, and
     * JetStream redelivers what the lost acks were for. */
    bus_out_detach(b->out);
    pthread_mutex_lock(&b->lock);
    b->connected = 0;
    close(b->fd);
    b->fd = -1;
    b->reconnects++;
    /* Waiting requests fail now; their callers publish again later. */
    finish(b, pending_take_due(&b->pending, INT64_MAX), NULL);
    pthread_mutex_unlock(&b->lock);
    printf("bus: connection to NATS lost; reconnecting\n");
}

/* The reader: parses everything the server sends, forever. */
static void *reader(void *arg)
{
    struct bus *b = arg;
    struct bus_rx *rx = bus_rx_new(RX_BUF);
    for (;;) {
        establish(b, rx);
        char *line;
        while ((line = bus_rx_line(rx))) {
            if (strcmp(line, "PING") == 0) {
                send_raw(b, "PONG\r\n", 6);
            } else if (strncmp(line, "MSG ", 4) == 0 || strncmp(line, "HMSG ", 5) == 0) {
                int sid = 0;
                struct bus_msg *m = bus_rx_msg(rx, line, &sid);
                if (!m)
                    break;
                deliver(b, sid, m);
            } else if (strncmp(line, "-ERR", 4) == 0) {
                fprintf(stderr, "bus: server error: %s\n", line);
            }
        }
        lose_connection(b);
    }
    return NULL;
}

/* Fails requests whose time is up, so no caller waits forever. */
static void *expirer(void *arg)
{
    struct bus *b = arg;
    for (;;) {
        usleep(200 * 1000);
        int64_t now = now_ns();
        pthread_mutex_lock(&b->lock);
        finish(b, pending_take_due(&b->pending, now), NULL);
        pthread_mutex_unlock(&b->lock);
    }
    return NULL;
}

struct bus *bus_connect(const char *hostport, const char *name, const struct nkey *id)
{
    struct bus *b = calloc(1, sizeof(*b));
    const char *colon = strrchr(hostport, ':');
    if (!b || !colon || (size_t)(colon - hostport) >= sizeof(b->host)) {
        free(b);
        errno = EINVAL;
        return NULL;
    }
    memcpy(b->host, hostport, (size_t)(colon - hostport));
    b->port = atoi(colon + 1);
    snprintf(b->name, sizeof(b->name), "%s", name);
    b->fd = -1;
    b->max_payload = 1024 * 1024;
    if (id) {
        b->id = *id;
        b->has_id = 1;
    }
    snprintf(b->inbox, sizeof(b->inbox), "_INBOX.%.24s.%08lx%08lx", b->name,
             (unsigned long)arc4random(), (unsigned long)arc4random());
    pending_init(&b->pending);
    if (!(b->out = bus_out_new())) {
        free(b);
        errno = ENOMEM;
        return NULL;
    }
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->changed, NULL);
    pthread_t t;
    pthread_create(&t, NULL, reader, b);
    pthread_detach(t);
    pthread_create(&t, NULL, expirer, b);
    pthread_detach(t);
    pthread_mutex_lock(&b->lock);
    while (!b->connected)
        pthread_cond_wait(&b->changed, &b->lock);
    pthread_mutex_unlock(&b->lock);
    return b;
}

int bus_connected(struct bus *b)
{
    return b->connected;
}
unsigned bus_reconnects(struct bus *b)
{
    return b->reconnects;
}
size_t bus_max_payload(struct bus *b)
{
    return b->max_payload;
}

int bus_send(struct bus *b, const char *text, size_t len)
{
    if (!text || !len) {
        errno = EINVAL;
        return -1;
    }
    return send_raw(b, text, len);
}

int bus_publish_header(struct bus *b, const char *subject, const char *reply, const char *name,
                       const char *value, const void *data, size_t len)
{
    if (!subject || !*subject || !name || !value || (len && !data) || strpbrk(name, ": \r\n") ||
        strpbrk(value, "\r\n")) {
        errno = EINVAL;
        return -1;
    }
    char hdr[600];
    int h = snprintf(hdr, sizeof(hdr), "NATS/1.0\r\n%s: %s\r\n\r\n", name, value);
    if (h < 0 || (size_t)h >= sizeof(hdr)) {
        errno = EINVAL;
        return -1;
    }
    /* max_payload bounds headers and body together. */
    if ((size_t)h + len > b->max_payload) {
        errno = EMSGSIZE;
        return -1;
    }
    size_t cap = (size_t)h + len + 512;
    char *buf = malloc(cap);
    if (!buf) {
        errno = ENOMEM;
        return -1;
    }
    int n = snprintf(buf, cap, "HPUB %s%s%s %d %zu\r\n%s", subject, reply ? " " : "",
                     reply ? reply : "", h, (size_t)h + len, hdr);
    int r = -1;
    if (n < 0 || (size_t)n + len + 2 > cap || strpbrk(subject, " \t\r\n") ||
        (reply && strpbrk(reply, " \t\r\n"))) {
        errno = EINVAL;
    } else {
        if (len)
            memcpy(buf + n, data, len);
        memcpy(buf + n + len, "\r\n", 2);
        r = send_raw(b, buf, (size_t)n + len + 2);
    }
    free(buf);
    return r;
}
