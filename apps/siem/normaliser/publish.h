/* Turning received syslog records into events on the bus, and the
 * normaliser's counters. */
#ifndef NORMALISER_PUBLISH_H
#define NORMALISER_PUBLISH_H

#include <pthread.h>
#include <stddef.h>

#include "bus.h"
#include "cJSON.h"
#include "normalise.h"

/* Counters for the heartbeat; listeners add to them directly (threads are
 * cooperative, so a plain increment cannot be torn). */
struct norm_counters {
    unsigned long received_udp, received_tcp, received_relp;
    unsigned long published, duplicates, parse_errors, truncated;
    unsigned long publish_retries, publish_failures, inflight;
    unsigned long dropped_quota, dropped_udp, throttled;
    unsigned long tcp_connections, relp_sessions, relp_errors, framing_errors;
    unsigned long connections_evicted, connections_timed_out, connections_refused;
};
extern struct norm_counters norm_counters;

void publish_init(struct bus *b, int max_inflight);

/* UDP and TCP: normalises and publishes without waiting for JetStream;
 * blocks only while max_inflight events are unacknowledged. An event whose
 * publish fails is published again (same id) until the stream has it. */
void publish_record(const struct siem_reception *rx, const char *raw, size_t len);

/* UDP: publish_record, but never blocks: returns -1 (nothing published)
 * while max_inflight events are unacknowledged, else 0. */
int publish_record_nowait(const struct siem_reception *rx, const char *raw, size_t len);

/* publish_record for a record the framing rejected: published as a
 * pipeline error with reason. */
void publish_error(const struct siem_reception *rx, const char *raw, size_t len,
                   const char *reason);

/* RELP: a session's window of records on their way to JetStream. */
struct publish_ack {
    int pending; /* records not yet settled */
    pthread_cond_t done;
};
void publish_ack_init(struct publish_ack *a);

/* RELP: normalises and publishes without waiting; *status is 0 until
 * JetStream acknowledged the event (then 1) or a few publishes of it
 * failed (-1). Returns 0, or -1 when out of memory (nothing pending). */
int publish_record_acked(const struct siem_reception *rx, const char *raw, size_t len,
                         struct publish_ack *a, int *status);

/* Waits until every record of the window is settled. */
void publish_ack_wait(struct publish_ack *a);

#endif
