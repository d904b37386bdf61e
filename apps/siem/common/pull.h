/* A JetStream pull consumer in the spirit of nats.c's
 * natsSubscription_Fetch: one (stream, consumer) pair, one pull request
 * outstanding at a time, batches of messages, and acks one by one or a
 * whole batch at once. Errors follow bus.h. */
#ifndef SIEM_PULL_H
#define SIEM_PULL_H

#include "bus.h"

struct pull_opts {
    int batch;      /* messages per pull request and per fetch, at most */
    int expires_ms; /* a pull request's life on the server */
    int idle_ms;    /* a fetch that has messages ends when none came for this long */
    int ack_all;    /* 1: the consumer is AckAll, a batch is acked by its last message */
};

#define PULL_EXPIRES_MS 1000
#define PULL_IDLE_MS 5
/* A failed fetch pauses this long before it returns, so a loop around it
 * never spins while the bus is down. */
#define PULL_RETRY_MS 1000

struct pull;

/* A pull consumer on the existing consumer of stream (durable or not);
 * NULL with errno set when its inbox cannot be subscribed. */
struct pull *pull_new(struct bus *b, const char *stream, const char *consumer,
                      const struct pull_opts *opts);

/* Ends the subscription; a pull request still outstanding is left to
 * expire (its messages are redelivered after the ack wait). */
void pull_free(struct pull *p);

/* Up to opts.batch messages into out (room for opts.batch): waits up to
 * timeout_ms for the first, then takes more until none came for idle_ms,
 * the pull request ends (a 404, 408 or 409 status) or the batch is full.
 * Then, before returning, it sends the next pull request, so the server
 * delivers while the caller works. Returns the count (0: nothing in
 * time), or -1 with errno when no pull request could be sent (after a
 * pause of PULL_RETRY_MS). The messages belong to the caller
 * (bus_msg_free). */
int pull_fetch(struct pull *p, struct bus_msg **out, int timeout_ms);

/* Acknowledges one message. */
int pull_ack(struct pull *p, const struct bus_msg *m);

/* Acknowledges msgs[0..n): an AckAll consumer with one ack for the last,
 * else every message's ack in one write. */
int pull_ack_batch(struct pull *p, struct bus_msg *const *msgs, int n);

/* Status messages seen (requests that ended before their batch filled). */
unsigned long pull_statuses(const struct pull *p);

#endif
