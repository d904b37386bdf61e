/* A NATS server of one connection at a time for the bus client's suites
 * (fake_nats.h). */
#include "fake_nats.h"

#include <arpa/inet.h>
#include <check.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

struct dial {
    char hostport[32];
    const struct nkey *id;
    struct bus *bus;
};

static void *connector(void *arg)
{
    struct dial *d = arg;
    d->bus = bus_connect(d->hostport, "siem-test", d->id);
    return NULL;
}

static void read_more(struct server *s)
{
    ck_assert_uint_lt(s->len, FAKE_GOT_SIZE - 1);
    ssize_t n = read(s->fd, s->got + s->len, FAKE_GOT_SIZE - 1 - s->len);
    ck_assert_int_gt(n, 0);
    s->len += (size_t)n;
    s->got[s->len] = '\0';
}

void fake_read_until(struct server *s, const char *what)
{
    while (!strstr(s->got, what))
        read_more(s);
}

void fake_say(struct server *s, const char *text)
{
    ck_assert_int_eq(write(s->fd, text, strlen(text)), (ssize_t)strlen(text));
}

/* INFO, the client's CONNECT and PING, our PONG. */
static void handshake(struct server *s)
{
    s->len = 0;
    s->got[0] = '\0';
    fake_say(s, "INFO {\"server_id\":\"fake\",\"max_payload\":1048576,\"nonce\":\"n0nce-42\"}\r\n");
    fake_read_until(s, "PING\r\n");
    fake_say(s, "PONG\r\n");
}

struct bus *fake_start(struct server *s, const struct nkey *id)
{
    static char got[FAKE_GOT_SIZE]; /* one server per test process */
    memset(s, 0, sizeof(*s));
    s->got = got;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof(a);
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    ck_assert_int_eq(bind(s->listen_fd, (struct sockaddr *)&a, sizeof(a)), 0);
    ck_assert_int_eq(listen(s->listen_fd, 1), 0);
    getsockname(s->listen_fd, (struct sockaddr *)&a, &alen);
    struct dial d = {.id = id};
    snprintf(d.hostport, sizeof(d.hostport), "127.0.0.1:%d", ntohs(a.sin_port));
    pthread_t t;
    pthread_create(&t, NULL, connector, &d);
    s->fd = accept(s->listen_fd, NULL, NULL);
    ck_assert_int_ge(s->fd, 0);
    handshake(s);
    pthread_join(t, NULL);
    ck_assert_ptr_nonnull(d.bus);
    fake_read_until(s, "SUB _INBOX.siem-test.");
    return d.bus;
}

void fake_accept(struct server *s)
{
    s->fd = accept(s->listen_fd, NULL, NULL);
    ck_assert_int_ge(s->fd, 0);
    handshake(s);
}

int fake_count(const struct server *s, const char *text)
{
    int n = 0;
    for (const char *p = s->got; (p = strstr(p, text)); p += strlen(text))
        n++;
    return n;
}

void fake_read_count(struct server *s, const char *text, int n)
{
    while (fake_count(s, text) < n)
        read_more(s);
}

void fake_sync(struct server *s)
{
    int before = fake_count(s, "PONG\r\n");
    fake_say(s, "PING\r\n");
    while (fake_count(s, "PONG\r\n") == before)
        read_more(s);
}
