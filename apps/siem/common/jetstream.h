/* JetStream over the bus: publish with acknowledgement, pull fetches and
 * acks on the durable consumers the operator created (tools/siem up: the
 * modules may not create or delete streams), the correlator's replay
 * consumer (the server's $JS.API subjects, as nats-server 2.9 serves
 * them). Errors follow bus.h; a JetStream API error also prints one line
 * naming it. */
#ifndef SIEM_JETSTREAM_H
#define SIEM_JETSTREAM_H

#include <stdint.h>

#include "bus.h"

/* The two streams of the SIEM (docs/siem.md). */
#define JS_EVENTS "EVENTS"
#define JS_ALERTS "ALERTS"

/* Waits until durable consumer durable on stream exists (the operator
 * creates it, tools/siem up; the supervisor re-creates a vanished one),
 * saying once a minute that it waits. */
void js_wait_consumer(struct bus *b, const char *stream, const char *durable);

/* Publishes and waits for the stream's acknowledgement; *seq (if not NULL)
 * gets the stream sequence, *duplicate whether the id was seen before. */
int js_publish(struct bus *b, const char *subject, const char *msg_id, const void *data, size_t len,
               int timeout_ms, uint64_t *seq, int *duplicate);

/* Asks consumer for up to batch messages, delivered to inbox (a subject
 * the caller subscribed with bus_subscribe); the server ends a short batch
 * with a 404 or 408 status message after expires_ms. */
int js_fetch(struct bus *b, const char *stream, const char *consumer, const char *inbox, int batch,
             int expires_ms);

/* Acknowledges a message delivered by a pull consumer. */
int js_ack(struct bus *b, const struct bus_msg *m);

/* Stream sequence and time (epoch ns) of a delivered message, from its
 * $JS.ACK reply subject; -1 if it is not one. */
int js_msg_meta(const struct bus_msg *m, uint64_t *stream_seq, int64_t *time_ns);

/* The durable consumer's ack floor (stream sequence; 0 when nothing was
 * acknowledged yet). */
int js_consumer_ack_floor(struct bus *b, const char *stream, const char *durable,
                          uint64_t *stream_seq);

/* Time (epoch ns) of stream message seq. */
int js_stream_msg_time(struct bus *b, const char *stream, uint64_t seq, int64_t *time_ns);

/* The pull consumer name on stream starting at start_ns (epoch ns), or at
 * stream sequence start_seq when start_ns is 0; one of that name left
 * over is deleted first. The server deletes it when idle a minute. The
 * name is fixed so the bus can allow this one consumer (docs/siem.md
 * "Identities"). */
int js_replay_consumer(struct bus *b, const char *stream, const char *name, int64_t start_ns,
                       uint64_t start_seq);

/* Deletes consumer name on stream (0 also when it was gone). */
int js_delete_consumer(struct bus *b, const char *stream, const char *name);

/* The stream's last sequence (0 when it is empty). */
int js_stream_last_seq(struct bus *b, const char *stream, uint64_t *seq);

#endif
