/* The normaliser's syslog listeners: one thread reads UDP datagrams; TCP
 * and RELP connections get a thread each, which feeds the bytes to the
 * stream decoder (RFC 6587 framing, RELP frames). A connection thread only
 * ever blocks on its own socket (or on publishing), so a slow or idle
 * peer holds its own thread and nobody else's; the caps of conns.h bound
 * how many there are, and an idle one is closed after idle= seconds. */
#include "listeners.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "conns.h"
#include "framing.h"
#include "module.h"
#include "publish.h"
#include "quota.h"
#include "relp.h"

/* How often a connection thread looks up from its read: to see that its
 * connection gave way to a newer one, or has been idle too long. */
#define CONN_TICK_MS 250
/* Evicted connections still open before the acceptor waits for them. */
#define CONN_CLOSING_MAX 16

static struct listen_config config;
static struct quota quota;

/* Per-source quota on a stream (TCP, RELP): waits until the sender's
 * bucket holds the record, so a fast sender is slowed, never dropped; its
 * unread bytes push back through TCP. */
static void quota_wait(const struct siem_reception *rx, size_t len)
{
    int64_t wait = quota_take(&quota, rx->sender_ip, len, module_now_ns() / 1000000);
    if (wait > 0)
        norm_counters.throttled++;
    while (wait > 0) {
        usleep((useconds_t)(wait > 1000 ? 1000 : wait) * 1000);
        wait = quota_take(&quota, rx->sender_ip, len, module_now_ns() / 1000000);
    }
}

static int open_socket(const char *what, int type, int port)
{
    int one = 1, s = socket(AF_INET, type, 0);
    struct sockaddr_in a = {
        .sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr = {htonl(INADDR_ANY)}};
    if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 ||
        (type == SOCK_STREAM && listen(s, 64) < 0)) {
        fprintf(stderr, "normaliser: %s port %d: %s\n", what, port, strerror(errno));
        if (s >= 0)
            close(s);
        return -1;
    }
    return s;
}

/* Fills the reception data of a record from its sender's address. */
static void reception(struct siem_reception *rx, const char *transport,
                      const struct sockaddr_in *from)
{
    memset(rx, 0, sizeof(*rx));
    rx->transport = transport;
    inet_ntop(AF_INET, &from->sin_addr, rx->sender_ip, sizeof(rx->sender_ip));
    rx->sender_port = ntohs(from->sin_port);
    rx->received_ns = module_now_ns();
}

static void *serve_udp(void *arg)
{
    int s = (int)(intptr_t)arg;
    char *buf = malloc(65536);
    for (;;) {
        struct sockaddr_in from;
        socklen_t alen = sizeof(from);
        ssize_t n = recvfrom(s, buf, 65535, 0, (struct sockaddr *)&from, &alen);
        if (n < 0)
            continue;
        struct siem_reception rx;
        reception(&rx, "udp", &from);
        norm_counters.received_udp++;
        /* A datagram is one record; a trailing LF (or CRLF, or NUL) is framing. */
        size_t len = (size_t)n;
        while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == '\0'))
            len--;
        if (len > config.max_line) {
            len = config.max_line;
            rx.truncated = 1;
        }
        /* A datagram cannot be slowed down: over quota, it is dropped and
         * counted. */
        if (quota_take(&quota, rx.sender_ip, len, rx.received_ns / 1000000) > 0) {
            norm_counters.dropped_quota++;
            continue;
        }
        /* Nor can it wait for room: while the bus or the store is slow,
         * waiting here would only move the loss into lwIP's receive queue,
         * where nobody counts it. */
        if (publish_record_nowait(&rx, buf, len) < 0)
            norm_counters.dropped_udp++;
    }
    return NULL;
}

/* One TCP connection: the RFC 6587 decoder hands over each record. */
struct tcp_conn {
    struct conn conn; /* first: the table's entry */
    int fd;
    struct siem_reception rx;
};

/* The next bytes from a connection, or 0 when it is over: the peer closed
 * it, an error, it gave way to a newer connection, or it was quiet for
 * the idle timeout. */
static ssize_t conn_read(struct conn *c, int fd, char *buf, size_t size)
{
    for (;;) {
        if (c->evicted)
            return 0;
        ssize_t n = read(fd, buf, size);
        long long now = module_now_ns();
        if (n > 0)
            conns_touch(c, now);
        if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
            return n > 0 ? n : 0;
        if (config.idle_s && now - c->last_ns >= config.idle_s * 1000000000ll) {
            norm_counters.connections_timed_out++;
            return 0;
        }
    }
}

static void tcp_record(void *ctx, const char *rec, size_t len, int flags)
{
    struct tcp_conn *c = ctx;
    c->rx.received_ns = module_now_ns();
    c->rx.truncated = (flags & SIEM_FRAME_TRUNCATED) != 0;
    norm_counters.received_tcp++;
    quota_wait(&c->rx, len);
    if (flags & SIEM_FRAME_ERROR) {
        /* A frame the decoder could not make sense of is still published,
         * as a pipeline error with its raw bytes. */
        norm_counters.framing_errors++;
        publish_error(&c->rx, rec, len, "malformed octet count");
        return;
    }
    publish_record(&c->rx, rec, len);
}

static void *serve_tcp_conn(void *arg)
{
    struct tcp_conn *c = arg;
    struct siem_framer framer;
    char *buf = malloc(16384);
    ssize_t n;
    norm_counters.tcp_connections++;
    if (buf && siem_framer_init(&framer, config.max_line) == 0) {
        while ((n = conn_read(&c->conn, c->fd, buf, 16384)) > 0)
            siem_framer_feed(&framer, buf, (size_t)n, tcp_record, c);
        siem_framer_end(&framer, tcp_record, c);
        siem_framer_free(&framer);
    }
    free(buf);
    close(c->fd);
    conns_remove(&c->conn);
    free(c);
    return NULL;
}

/* The most RELP frames answered together: rsyslog's omrelp sends up to
 * 128 before it waits (its window). */
#define RELP_WINDOW 256
/* Room for a window's responses: an OK is at most 26 bytes, an open's 300. */
#define RELP_OUT_SIZE (RELP_WINDOW * 32 + 512)

/* A frame of the window, answered once JetStream has what it carried. */
struct relp_slot {
    uint32_t txnr;
    enum siem_relp_command command;
    int status; /* syslog: 0 publishing, 1 stored, -1 failed */
};

/* One RELP session: the syslog frames of one read (up to a window) are
 * published together, and acknowledged together, in one write, once
 * JetStream has their events. */
struct relp_conn {
    struct conn conn; /* first: the table's entry */
    int fd;
    struct siem_reception rx;
    int failed;
    struct publish_ack ack;
    int nslots;
    struct relp_slot slot[RELP_WINDOW];
    char out[RELP_OUT_SIZE];
};

/* Writes all of p, or -1: an error, or a peer that reads nothing while
 * its connection gives way or for the idle timeout (a write waits at most
 * a tick at a time, so a peer that never reads cannot hold the thread). */
static int send_all(struct relp_conn *c, const char *p, size_t len)
{
    long long since = module_now_ns();
    while (len > 0) {
        ssize_t n = write(c->fd, p, len);
        long long now = module_now_ns();
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && !c->conn.evicted &&
            (!config.idle_s || now - since < config.idle_s * 1000000000ll))
            continue;
        if (n <= 0)
            return -1;
        since = now;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Waits until JetStream settled every event of the window, then answers
 * its frames in order, in one write, up to the first event that could not
 * be stored: the session then ends, and the sender sends that record and
 * those after it again (JetStream drops the ones it had: same ids). */
static void relp_settle(struct relp_conn *c)
{
    publish_ack_wait(&c->ack);
    size_t len = 0;
    for (int i = 0; i < c->nslots && !c->failed; i++) {
        const struct relp_slot *s = &c->slot[i];
        char *o = c->out + len;
        size_t room = sizeof(c->out) - len;
        int n = -1;
        if (s->command == SIEM_RELP_OPEN)
            n = siem_relp_rsp_open(o, room, s->txnr, "siem-normaliser," SIEM_VERSION);
        else if (s->command == SIEM_RELP_SYSLOG && s->status == 1)
            n = siem_relp_rsp_ok(o, room, s->txnr);
        else if (s->command == SIEM_RELP_CLOSE)
            n = siem_relp_rsp_close(o, room, s->txnr);
        if (n > 0)
            len += (size_t)n;
        /* After close the session ends here too. */
        if (n < 0 || s->command == SIEM_RELP_CLOSE)
            c->failed = 1;
    }
    c->nslots = 0;
    if (len > 0 && send_all(c, c->out, len) < 0)
        c->failed = 1;
}

static void relp_frame(void *ctx, const struct siem_relp_frame *f)
{
    struct relp_conn *c = ctx;
    if (c->nslots == RELP_WINDOW)
        relp_settle(c);
    if (c->failed)
        return;
    struct relp_slot *s = &c->slot[c->nslots++];
    s->txnr = f->txnr;
    s->command = f->command;
    s->status = 0;
    if (f->command == SIEM_RELP_SYSLOG) {
        c->rx.received_ns = module_now_ns();
        c->rx.truncated = f->truncated;
        norm_counters.received_relp++;
        quota_wait(&c->rx, f->len);
        if (publish_record_acked(&c->rx, f->data, f->len, &c->ack, &s->status) < 0)
            s->status = -1; /* not acknowledged: the sender sends it again */
    } else if (f->command == SIEM_RELP_CLOSE) {
        relp_settle(c);
    }
}

static void *serve_relp_conn(void *arg)
{
    struct relp_conn *c = arg;
    struct siem_relp relp;
    char *buf = malloc(16384);
    ssize_t n;
    norm_counters.relp_sessions++;
    publish_ack_init(&c->ack);
    if (buf && siem_relp_init(&relp, config.max_line) == 0) {
        while (!c->failed && (n = conn_read(&c->conn, c->fd, buf, 16384)) > 0) {
            /* Every complete frame of the read, then their answers. */
            int r = siem_relp_feed(&relp, buf, (size_t)n, relp_frame, c);
            relp_settle(c);
            if (r < 0) {
                norm_counters.relp_errors++;
                fprintf(stderr, "normaliser: RELP session from %s: %s; closing it\n",
                        c->rx.sender_ip, siem_relp_strerror(r));
                n = siem_relp_serverclose(buf, 16384);
                if (n > 0)
                    send_all(c, buf, (size_t)n);
                break;
            }
        }
        siem_relp_free(&relp);
    }
    /* Nothing may still point into c. */
    publish_ack_wait(&c->ack);
    free(buf);
    close(c->fd);
    conns_remove(&c->conn);
    free(c);
    return NULL;
}

struct acceptor {
    int fd;
    const char *transport;
};

/* A new connection's thread, with its state; NULL when there is no
 * memory for it. */
static struct conn *new_conn(const char *transport, int fd, const struct sockaddr_in *from,
                             void *(**serve)(void *))
{
    if (strcmp(transport, "tcp") == 0) {
        struct tcp_conn *c = calloc(1, sizeof(*c));
        if (c) {
            c->fd = fd;
            reception(&c->rx, "tcp", from);
        }
        *serve = serve_tcp_conn;
        return (struct conn *)c;
    }
    struct relp_conn *c = calloc(1, sizeof(*c));
    if (c) {
        c->fd = fd;
        reception(&c->rx, "relp", from);
    }
    *serve = serve_relp_conn;
    return (struct conn *)c;
}

static void *accept_loop(void *arg)
{
    struct acceptor *a = arg;
    struct timeval tick = {0, CONN_TICK_MS * 1000};
    for (;;) {
        conns_wait_closing(CONN_CLOSING_MAX);
        struct sockaddr_in from;
        socklen_t alen = sizeof(from);
        int fd = accept(a->fd, (struct sockaddr *)&from, &alen);
        if (fd < 0)
            continue;
        void *(*serve)(void *);
        struct conn *c = new_conn(a->transport, fd, &from, &serve);
        pthread_t t;
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tick, sizeof(tick));
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tick, sizeof(tick));
        if (c) {
            c->addr = from.sin_addr.s_addr;
            norm_counters.connections_evicted += (unsigned long)conns_add(c, module_now_ns());
        }
        if (!c || pthread_create(&t, NULL, serve, c) != 0) {
            /* Out of memory: the sender finds the connection closed. */
            norm_counters.connections_refused++;
            close(fd);
            if (c)
                conns_remove(c);
            free(c);
            continue;
        }
        pthread_detach(t);
    }
    return NULL;
}

static int start_acceptor(const char *transport, int port)
{
    struct acceptor *a = calloc(1, sizeof(*a));
    pthread_t t;
    if (!a || (a->fd = open_socket(transport, SOCK_STREAM, port)) < 0)
        return -1;
    a->transport = transport;
    pthread_create(&t, NULL, accept_loop, a);
    pthread_detach(t);
    return 0;
}

int listeners_start(const struct listen_config *cfg)
{
    config = *cfg;
    quota_init(&quota, cfg->source_rate, cfg->source_burst);
    conns_init(cfg->max_conns, cfg->max_conns_per_source);
    pthread_t t;
    if (cfg->udp_port) {
        int s = open_socket("udp", SOCK_DGRAM, cfg->udp_port);
        if (s < 0)
            return -1;
        int size = 1 << 20;
        setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
        pthread_create(&t, NULL, serve_udp, (void *)(intptr_t)s);
        pthread_detach(t);
    }
    if (cfg->tcp_port && start_acceptor("tcp", cfg->tcp_port) < 0)
        return -1;
    if (cfg->relp_port && start_acceptor("relp", cfg->relp_port) < 0)
        return -1;
    return 0;
}
