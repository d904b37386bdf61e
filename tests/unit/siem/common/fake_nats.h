/* A NATS server of one connection played by a unit test on 127.0.0.1:
 * it accepts the bus client, does the handshake, reads what the client
 * sends and says what the test wants. Every step asserts. */
#ifndef FAKE_NATS_H
#define FAKE_NATS_H

#include <stddef.h>

#include "bus.h"
#include "nkey.h"

struct server {
    int listen_fd, fd, port;
    char got[65536]; /* everything the client sent */
    size_t len;
};

/* Listens, lets the client connect (with id, or anonymously), sends INFO
 * with a nonce and answers the handshake's PING. */
struct bus *fake_start(struct server *s, const struct nkey *id);

/* Reads from the client until its output contains what (from the start). */
void fake_read_until(struct server *s, const char *what);

/* Sends text to the client. */
void fake_say(struct server *s, const char *text);

/* A round trip: everything sent before it has been read by the client
 * (its reader answers a PING after what came before). */
void fake_sync(struct server *s);

/* How often text occurs in what the client sent. */
int fake_count(const struct server *s, const char *text);

/* Reads from the client until text occurred n times. */
void fake_read_count(struct server *s, const char *text, int n);

#endif
