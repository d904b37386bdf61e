/* What the event store indexes about a record, taken from its JSON text:
 * the id that detects redeliveries and the time that range queries use. */
#ifndef SIEM_STORE_META_H
#define SIEM_STORE_META_H

#include <stddef.h>
#include <stdint.h>

#define STORE_TIME_NONE INT64_MIN /* the record has no usable time */

struct store_meta {
    int64_t time_ms; /* event.created, else @timestamp; STORE_TIME_NONE */
    int has_id;      /* 1 when key holds the record's id */
    uint8_t key[16]; /* the id as the index compares it (store_id_key) */
};

/* Parses payload (len bytes, not necessarily NUL-terminated) and fills m.
 * alert is 0 for an event, 1 for an alert. The id is event.id for an
 * event; for an alert alert.id, else event.id, else a top-level "id".
 * Returns 0, or -EINVAL when the payload is not one JSON object (white
 * space may follow it, nothing else). */
int store_meta_parse(const char *payload, size_t len, int alert, struct store_meta *m);

/* The 16-byte index key of an id: 32 hex digits (either case) are
 * decoded, so "ABC..." and "abc..." are one id; any other non-empty text
 * of up to 255 bytes is hashed (two 64-bit FNV-1a variants). Returns 0,
 * or -1 for NULL, empty or longer text. */
int store_id_key(const char *id, size_t len, uint8_t key[16]);

/* store_meta_parse for a payload that came with its id (the message's
 * Nats-Msg-Id header), without building a parse tree: the payload is
 * taken as an object when it starts with '{' and ends with '}' (white
 * space around allowed), and only the members leading to event.created
 * and @timestamp are looked at (names as written, without escapes). The
 * id is keyed as store_id_key does. Returns 0, or -EINVAL. */
int store_meta_skim(const char *payload, size_t len, const char *id, struct store_meta *m);

#endif
