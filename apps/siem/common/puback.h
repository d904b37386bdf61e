/* JetStream's acknowledgement of a publish (a PubAck) read by a small exact
 * scan instead of a JSON tree: it is read once per event published. */
#ifndef SIEM_PUBACK_H
#define SIEM_PUBACK_H

#include <stddef.h>
#include <stdint.h>

/* What a reply says. */
enum js_puback {
    JS_PUBACK_STORED = 0, /* {"stream":"EVENTS","seq":N[,"duplicate":true]} */
    JS_PUBACK_ERROR = -1, /* {"error":{"code":...,"description":...}} */
    JS_PUBACK_BAD = -2,   /* not a PubAck: not one JSON object, cut short, no stream or seq */
};

/* Scans the reply p[0..len): one JSON object whose members "stream" (a
 * string), "seq" (an unsigned integer), "duplicate" (true or false) and
 * "error" (any value) are read, any other member skipped. For
 * JS_PUBACK_STORED, *seq and *duplicate (each if not NULL) get the
 * stream sequence and whether the stream had the message id already. */
enum js_puback js_puback_scan(const char *p, size_t len, uint64_t *seq, int *duplicate);

#endif
