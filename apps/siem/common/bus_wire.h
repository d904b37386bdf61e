/* The NATS wire format, apart from the socket: formatting PUB/HPUB,
 * reading lines and MSG/HMSG frames from a connection, and headers. */
#ifndef SIEM_BUS_WIRE_H
#define SIEM_BUS_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "bus.h"

/* The longest control line and header block bus_wire_pub_head writes:
 * two subjects of a NATS control line's sizes and a 128-byte msg_id. */
#define BUS_WIRE_HEAD_MAX 1024

/* Formats the control line of a PUB (or, with msg_id, an HPUB and its
 * Nats-Msg-Id header block) of len bytes of data into buf; the data and a
 * CRLF follow it on the wire. Returns its length, or -1 if it does not
 * fit or a subject has spaces or control characters. */
int bus_wire_pub_head(char *buf, size_t size, const char *subject, const char *reply,
                      const char *msg_id, size_t len);

/* Writes v in decimal at buf (at least 21 bytes) with a NUL; returns
 * the number of digits. */
size_t bus_wire_u64(char *buf, uint64_t v);

/* Formats a PUB (or, with msg_id, an HPUB with a Nats-Msg-Id header) into
 * buf; returns its length, or -1 if it does not fit or a subject has
 * spaces or control characters. */
int bus_wire_pub(char *buf, size_t size, const char *subject, const char *reply, const char *msg_id,
                 const void *data, size_t len);

/* max_payload from an INFO line's JSON (1 MiB when absent). */
size_t bus_wire_info_max_payload(const char *json);

/* The string field key of an INFO line's JSON (e.g. "nonce") copied into
 * buf; -1 when absent, not a plain string or too long. */
int bus_wire_info_string(const char *json, const char *key, char *buf, size_t size);

/* Header value by case-insensitive name from a raw "NATS/1.0..." block. */
int bus_wire_header(const char *headers, const char *name, char *buf, size_t size);

/* Buffered reading from one connection. */
struct bus_rx;
struct bus_rx *bus_rx_new(size_t size);
void bus_rx_free(struct bus_rx *rx);
void bus_rx_reset(struct bus_rx *rx, int fd);
/* The next protocol line without its CRLF, or NULL on EOF, error or a line
 * longer than the buffer. Valid until the next call. */
char *bus_rx_line(struct bus_rx *rx);
/* Reads the payload of the MSG or HMSG whose control line is line (from
 * bus_rx_line) and returns the message with *sid set; NULL when the line
 * is malformed or the connection ends. */
struct bus_msg *bus_rx_msg(struct bus_rx *rx, char *line, int *sid);

#endif
