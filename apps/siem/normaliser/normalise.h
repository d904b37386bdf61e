/* The normaliser's one entry point: a received syslog record in, the event
 * to publish out (JSON text, subject, id), as docs/siem.md specifies. */
#ifndef SIEM_NORMALISE_H
#define SIEM_NORMALISE_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

/* How a record arrived. */
struct siem_reception {
    const char *transport; /* "udp", "tcp" or "relp"; never NULL */
    char sender_ip[46];    /* text form, NUL-terminated */
    uint16_t sender_port;
    int64_t received_ns; /* reception time, ns since 1970 UTC */
    int truncated;       /* the framing cut the record at its limit */
};

/* The event made from one record. */
struct siem_normalised {
    char *json;                     /* malloc'ed, NUL-terminated, one line */
    char subject[SIEM_SUBJECT_LEN]; /* "siem.events.authentication", ... */
    char id[SIEM_EVENT_ID_LEN];     /* event.id, also the Nats-Msg-Id */
    int pipeline_error;             /* 1: event.kind is pipeline_error */
};

/* Normalises the record raw[0..len) (not NUL-terminated; trailing LF, CR
 * and NUL bytes are ignored). A record without a valid <PRI>, or an RFC 5424
 * record with a malformed header, still gives an event: a pipeline_error
 * carrying the raw text; out->pipeline_error says so (the caller counts
 * those as parse_errors). Returns 0, or -1 when memory ran out (then
 * out->json is NULL and there is nothing to free). */
int siem_normalise(const struct siem_reception *rx, const char *raw, size_t len,
                   struct siem_normalised *out);

/* The pipeline_error event for a record the caller could not even frame
 * (for instance a malformed RFC 6587 octet count); reason becomes
 * error.message. Returns 0 or -1 as siem_normalise. */
int siem_normalise_error(const struct siem_reception *rx, const char *raw, size_t len,
                         const char *reason, struct siem_normalised *out);

/* Frees out->json; out may then be reused. */
void siem_normalised_free(struct siem_normalised *out);

#endif
