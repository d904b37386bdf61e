/* The normaliser's syslog listeners: one thread reads UDP datagrams; TCP
 * and RELP connections get a thread each, which feeds the bytes to the
 * stream decoder (RFC 6587 framing, RELP frames). */
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
#include <unistd.h>

#include "framing.h"
#include "module.h"
#include "publish.h"
#include "quota.h"
#include "relp.h"

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
        publish_record(&rx, buf, len);
    }
    return NULL;
}

/* One TCP connection: the RFC 6587 decoder hands over each record. */
struct tcp_conn {
    int fd;
    struct siem_reception rx;
};

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
        while ((n = read(c->fd, buf, 16384)) > 0)
            siem_framer_feed(&framer, buf, (size_t)n, tcp_record, c);
        siem_framer_end(&framer, tcp_record, c);
        siem_framer_free(&framer);
    }
    free(buf);
    close(c->fd);
    free(c);
    return NULL;
}

/* One RELP session: each syslog frame is acknowledged only after
 * JetStream has the event. */
struct relp_conn {
    int fd;
    struct siem_reception rx;
    int failed;
};

static int send_all(int fd, const char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void relp_frame(void *ctx, const struct siem_relp_frame *f)
{
    struct relp_conn *c = ctx;
    char rsp[256];
    int n = -1;
    if (c->failed)
        return;
    switch (f->command) {
    case SIEM_RELP_OPEN:
        n = siem_relp_rsp_open(rsp, sizeof(rsp), f->txnr, "siem-normaliser," SIEM_VERSION);
        break;
    case SIEM_RELP_SYSLOG:
        c->rx.received_ns = module_now_ns();
        c->rx.truncated = f->truncated;
        norm_counters.received_relp++;
        quota_wait(&c->rx, f->len);
        if (publish_record_sync(&c->rx, f->data, f->len) < 0) {
            /* Not acknowledged: close, and the sender sends it again. */
            c->failed = 1;
            return;
        }
        n = siem_relp_rsp_ok(rsp, sizeof(rsp), f->txnr);
        break;
    case SIEM_RELP_CLOSE:
        n = siem_relp_rsp_close(rsp, sizeof(rsp), f->txnr);
        if (n > 0)
            send_all(c->fd, rsp, (size_t)n);
        c->failed = 1; /* the session ends here */
        return;
    }
    if (n < 0 || send_all(c->fd, rsp, (size_t)n) < 0)
        c->failed = 1;
}

static void *serve_relp_conn(void *arg)
{
    struct relp_conn *c = arg;
    struct siem_relp relp;
    char *buf = malloc(16384);
    ssize_t n;
    norm_counters.relp_sessions++;
    if (buf && siem_relp_init(&relp, config.max_line) == 0) {
        while (!c->failed && (n = read(c->fd, buf, 16384)) > 0) {
            int r = siem_relp_feed(&relp, buf, (size_t)n, relp_frame, c);
            if (r < 0) {
                norm_counters.relp_errors++;
                fprintf(stderr, "normaliser: RELP session from %s: %s; closing it\n",
                        c->rx.sender_ip, siem_relp_strerror(r));
                n = siem_relp_serverclose(buf, 16384);
                if (n > 0)
                    send_all(c->fd, buf, (size_t)n);
                break;
            }
        }
        siem_relp_free(&relp);
    }
    free(buf);
    close(c->fd);
    free(c);
    return NULL;
}

struct acceptor {
    int fd;
    const char *transport;
};

static void *accept_loop(void *arg)
{
    struct acceptor *a = arg;
    for (;;) {
        struct sockaddr_in from;
        socklen_t alen = sizeof(from);
        int fd = accept(a->fd, (struct sockaddr *)&from, &alen);
        if (fd < 0)
            continue;
        pthread_t t;
        int r;
        if (strcmp(a->transport, "tcp") == 0) {
            struct tcp_conn *c = calloc(1, sizeof(*c));
            if (!c) {
                close(fd);
                continue;
            }
            c->fd = fd;
            reception(&c->rx, "tcp", &from);
            r = pthread_create(&t, NULL, serve_tcp_conn, c);
            if (r != 0) {
                close(fd);
                free(c);
                continue;
            }
        } else {
            struct relp_conn *c = calloc(1, sizeof(*c));
            if (!c) {
                close(fd);
                continue;
            }
            c->fd = fd;
            reception(&c->rx, "relp", &from);
            r = pthread_create(&t, NULL, serve_relp_conn, c);
            if (r != 0) {
                close(fd);
                free(c);
                continue;
            }
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
