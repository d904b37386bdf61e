/* Syslog over TCP: an incremental RFC 6587 decoder that finds the records
 * in a byte stream, detecting per frame octet counting ("LEN SP record")
 * or non-transparent framing (record, then LF). */
#ifndef SIEM_FRAMING_H
#define SIEM_FRAMING_H

#include <stddef.h>
#include <stdint.h>

/* The longest record delivered whole; the same limit as docs/siem.md's
 * max-line= default. */
#define SIEM_FRAME_MAX_DEFAULT 8192
/* The longest octet count read: 9 digits, as RELP's DATALEN. */
#define SIEM_FRAME_COUNT_DIGITS 9

/* Flags of a delivered record. */
#define SIEM_FRAME_TRUNCATED 1 /* longer than max: these are its first max bytes */
#define SIEM_FRAME_ERROR                                                                           \
    2 /* a malformed octet count: the bytes are the                                                \
         line it started (up to max), for the                                                      \
         pipeline_error event */

/* Receives one record: rec[0..len) is valid only during the call, has no
 * trailer (LF, CRLF or NUL) and is not NUL-terminated. */
typedef void (*siem_frame_fn)(void *ctx, const char *rec, size_t len, int flags);

struct siem_framer {
    char *buf; /* max + 1 bytes: a record and a CR that may precede its LF */
    size_t max;
    size_t used;
    int state;
    int flags;     /* of the record being collected */
    int digits;    /* of the octet count read so far */
    uint32_t left; /* octet count, then the bytes of the frame still to come */
    /* Counters for the module's heartbeat. */
    uint64_t records, truncated, errors;
};

/* Prepares f for one TCP connection; max 0 means SIEM_FRAME_MAX_DEFAULT.
 * Returns 0, or -1 when out of memory. */
int siem_framer_init(struct siem_framer *f, size_t max);
void siem_framer_free(struct siem_framer *f);

/* Consumes data[0..len), calling fn for every record completed. A
 * malformed octet count (not followed by SP, more than 9 digits, 0 or a
 * leading 0) yields an error record; decoding resumes after the next LF. */
void siem_framer_feed(struct siem_framer *f, const char *data, size_t len, siem_frame_fn fn,
                      void *ctx);

/* The connection ended: delivers a record still waiting for its LF as it
 * is, an octet-counted one cut short as truncated. */
void siem_framer_end(struct siem_framer *f, siem_frame_fn fn, void *ctx);

#endif
