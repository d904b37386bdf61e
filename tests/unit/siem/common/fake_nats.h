/* A NATS server of one connection at a time, played by a test on
 * 127.0.0.1, for the bus client's suites: it keeps everything the client
 * sent and says what the test tells it to. */
#ifndef FAKE_NATS_H
#define FAKE_NATS_H

#include <stddef.h>

#include "bus.h"
#include "nkey.h"

#define FAKE_GOT_SIZE (4u << 20)

struct server {
    int listen_fd, fd;
    char *got; /* everything the client sent on this connection */
    size_t len;
};

/* Listens (one server per process: what it got is in a static buffer),
 * lets a client connect (with id, or anonymously), sends INFO
 * with a nonce, answers the handshake's PING and waits for the inbox's
 * SUB; returns the client. */
struct bus *fake_start(struct server *s, const struct nkey *id);

/* Accepts the client's next connection (after the test closed s->fd) and
 * does the handshake again; got starts empty. */
void fake_accept(struct server *s);

/* Reads from the client until got contains what. */
void fake_read_until(struct server *s, const char *what);

void fake_say(struct server *s, const char *text);

/* A round trip: everything said before it has been read by the client
 * (its reader answers a PING after what came before). */
void fake_sync(struct server *s);

/* How often text occurs in what the client sent. */
int fake_count(const struct server *s, const char *text);

/* Reads from the client until text occurred n times. */
void fake_read_count(struct server *s, const char *text, int n);

#endif
