/* JetStream over the bus: streams and durable pull consumers created when
 * missing, publish with acknowledgement, pull fetches and acks (the
 * server's $JS.API subjects, as nats-server 2.9 serves them). Errors follow
 * bus.h; a JetStream API error also prints one line naming it. */
#ifndef SIEM_JETSTREAM_H
#define SIEM_JETSTREAM_H

#include <stdint.h>

#include "bus.h"

/* The two streams of the SIEM (docs/siem.md). */
#define JS_EVENTS "EVENTS"
#define JS_ALERTS "ALERTS"

/* Creates stream name for subjects (one wildcard subject) if it does not
 * exist; retries while the server is unreachable. */
int js_ensure_stream(struct bus *b, const char *name, const char *subjects, int dup_window_s);

/* The SIEM's streams: EVENTS (siem.events.>, 10 min duplicate window) and
 * ALERTS (siem.alerts.>, 1 h). */
int js_ensure_siem_streams(struct bus *b);

/* Creates durable pull consumer durable on stream if missing. ack_all
 * chooses AckAll (an ack covers every earlier message) over AckExplicit. */
int js_ensure_consumer(struct bus *b, const char *stream, const char *durable, int ack_all,
                       int max_ack_pending);

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

/* An ephemeral pull consumer on stream starting at start_ns (epoch ns),
 * or at stream sequence start_seq when start_ns is 0; its name is written
 * to name (64 bytes). The server deletes it when idle. */
int js_ephemeral_from(struct bus *b, const char *stream, int64_t start_ns, uint64_t start_seq,
                      char *name);

/* The stream's last sequence (0 when it is empty). */
int js_stream_last_seq(struct bus *b, const char *stream, uint64_t *seq);

#endif
