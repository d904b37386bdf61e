/* Pieces of an event (docs/siem.md, "Event schema") that every producer
 * computes the same way: the event id and the bus subject (time stamps are
 * siemtime.h's). */
#ifndef SIEM_EVENT_H
#define SIEM_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "id.h"

/* 32 hex digits and a NUL. */
#define SIEM_EVENT_ID_LEN SIEM_ID_LEN
/* Enough for "siem.events." and any category name this code produces. */
#define SIEM_SUBJECT_LEN 64

/* The event.id of a record: the first 128 bits of SHA-256, as lowercase
 * hex, over these bytes (\0 is one zero byte, numbers are decimal ASCII):
 *   udp, tcp:  transport \0 sender_ip \0 sender_port \0 received_ns \0 raw
 *   relp (and any other transport):  transport \0 sender_ip \0 raw
 * The text fields cannot contain a zero byte, so the layout is unambiguous
 * although raw may contain anything. raw is the record as the framing
 * delivered it (after truncation), before any parsing. */
void siem_event_id(const char *transport, const char *sender_ip, uint16_t sender_port,
                   int64_t received_ns, const char *raw, size_t len, char out[SIEM_EVENT_ID_LEN]);

/* The subject an event is published on: "siem.events.error" for a
 * pipeline error, "siem.events.<category>", or "siem.events.generic" when
 * category is NULL or empty. Returns the length, or -1 if it does not fit
 * (or the category has characters a NATS subject token cannot have). */
int siem_event_subject(int pipeline_error, const char *category, char *buf, size_t size);

#endif
