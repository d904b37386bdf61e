/* The SIEM modules' NATS client: one connection per module, the core
 * protocol with headers (INFO, CONNECT, PUB/HPUB, SUB, MSG/HMSG, PING/PONG),
 * requests with replies, message queues for subscriptions, and a reader
 * thread that reconnects by itself when the server goes away.
 *
 * Error contract: functions returning int give 0 on success and -1 with
 * errno set: ENOTCONN (not connected right now; try again later), ETIMEDOUT
 * (no reply in time), EMSGSIZE (larger than the server's max_payload),
 * EINVAL (bad argument), ENOMEM. */
#ifndef SIEM_BUS_H
#define SIEM_BUS_H

#include <stddef.h>
#include <stdint.h>

#include "nkey.h"

struct bus;

/* One received message, in one allocation (bus_msg_free frees it all;
 * the strings point into it). status is the NATS status code of a header-only
 * status message ("NATS/1.0 408 Request Timeout" -> 408), else 0. */
struct bus_msg {
    struct bus_msg *next;
    char *subject;
    char *reply;   /* "" when none */
    char *headers; /* the raw header block, "" when none */
    char *data;    /* NUL-terminated for convenience; len excludes the NUL */
    size_t len;
    int status;
};

/* Connects to host:port (a numeric IPv4 address or a name) as client name,
 * retrying with backoff until it succeeds; prints one line when connected.
 * With an identity (id not NULL; copied, wipe yours) it answers the
 * server's nonce with a signature. Replies come to the private inbox
 * prefix "_INBOX.<name>.", which the server lets only this identity
 * subscribe to. */
struct bus *bus_connect(const char *hostport, const char *name, const struct nkey *id);

/* 1 while the connection is up. */
int bus_connected(struct bus *b);

/* Number of times the connection was re-established after a loss. */
unsigned bus_reconnects(struct bus *b);

/* Publishes data on subject; reply may be NULL. msg_id, if not NULL, goes
 * out as the Nats-Msg-Id header (JetStream deduplication). */
int bus_publish(struct bus *b, const char *subject, const char *reply, const char *msg_id,
                const void *data, size_t len);

/* Publishes go into the connection's output buffer, written out by a
 * flusher thread as soon as the publishing thread blocks or yields (so a
 * burst leaves in one write), at once when the buffer is full or the
 * message large. Bytes go out in the order of the calls. bus_flush
 * writes out everything published so far before it returns; bytes not
 * written when the connection is lost are dropped (publish again). */
int bus_flush(struct bus *b);

/* Writes on the socket so far (each carries one or many messages). */
unsigned long bus_writes(struct bus *b);

/* Sends a request and waits up to timeout_ms for the one reply; on success
 * *out is the reply (free with bus_msg_free). A 503 status (nobody listens)
 * gives ENOENT. */
int bus_request(struct bus *b, const char *subject, const char *msg_id, const void *data,
                size_t len, int timeout_ms, struct bus_msg **out);

/* Asynchronous request: done(ctx, msg) runs on the reader thread with the
 * reply (msg then belongs to done) or with NULL when the connection was
 * lost or timeout_ms passed. It must not block. */
typedef void (*bus_reply_fn)(void *ctx, struct bus_msg *msg);
int bus_request_async(struct bus *b, const char *subject, const char *msg_id, const void *data,
                      size_t len, int timeout_ms, bus_reply_fn done, void *ctx);

/* A subscription whose messages queue up until a thread takes them, up to
 * its pending limits (BUS_PENDING_MSGS messages and BUS_PENDING_BYTES
 * bytes, as nats.c's defaults; bus_queue_limits changes them): past them
 * a message is dropped and counted. Subscriptions survive reconnects.
 * NULL with errno ENOSPC when the connection has BUS_MAX_SUBS already,
 * EINVAL when the subject is too long, ENOMEM. */
#define BUS_PENDING_MSGS 65536
#define BUS_PENDING_BYTES (64u * 1024 * 1024)
#define BUS_MAX_SUBS 64
struct bus_queue;
struct bus_queue *bus_subscribe(struct bus *b, const char *subject);

/* Ends a subscription and frees it with whatever was still queued. */
void bus_unsubscribe(struct bus_queue *q);

void bus_queue_limits(struct bus_queue *q, size_t max_msgs, size_t max_bytes);

/* Messages dropped over the pending limits: by one queue, by all of a
 * connection's. */
unsigned long bus_queue_dropped(struct bus_queue *q);
unsigned long bus_dropped(struct bus *b);

/* The next message, waiting up to timeout_ms (0: do not wait); NULL with
 * errno ETIMEDOUT when none came. */
struct bus_msg *bus_queue_pop(struct bus_queue *q, int timeout_ms);

/* A fresh unique subject under this connection's inbox prefix. */
void bus_new_inbox(struct bus *b, char *buf, size_t size);

/* The server's max_payload (bytes). */
size_t bus_max_payload(struct bus *b);

void bus_msg_free(struct bus_msg *m);

/* The value of header name in m (case-insensitive name), copied into buf;
 * -1 when absent. */
int bus_msg_header(const struct bus_msg *m, const char *name, char *buf, size_t size);

/* Sends text already in the wire format (one or more PUB lines with their
 * payloads) in one write: many acks leave together. */
int bus_send(struct bus *b, const char *text, size_t len);

/* bus_publish with one header name: value (no CR or LF in either) instead
 * of a message id: an HPUB. EMSGSIZE when header and data together exceed
 * max_payload. */
int bus_publish_header(struct bus *b, const char *subject, const char *reply, const char *name,
                       const char *value, const void *data, size_t len);

#endif
