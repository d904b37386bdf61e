/* A request responder: one subject, a handler run for each request on the
 * responder's own thread, its reply published to the request's reply
 * subject. A failed request's reply carries the header
 * "Siem-Error: <message>" (an HPUB), so an asker sees the failure without
 * reading the body, which is {"error":"<message>"} for those that do. A
 * reply larger than the server's max_payload becomes an error reply:
 * an asker never waits for an answer that cannot come. */
#ifndef SIEM_SERVE_H
#define SIEM_SERVE_H

#include <stddef.h>

#include "bus.h"

#define SERVE_ERROR_HEADER "Siem-Error"

/* What a handler gives back: body (malloc'd, len bytes; the responder
 * frees it), or error set to a message (then body, if any, is ignored). */
struct serve_reply {
    char *body;
    size_t len;
    char error[256];
};

/* Answers one request. max is the largest body the bus can carry. */
typedef void (*serve_fn)(void *ctx, const struct bus_msg *req, size_t max, struct serve_reply *r);

/* Subscribes subject and starts the responder's thread; a failure ends
 * the module (status 1) with a line naming module and subject. */
struct serve;
struct serve *serve_start(struct bus *b, const char *module, const char *subject, serve_fn fn,
                          void *ctx);

/* Requests answered, and of them with an error reply. */
unsigned long serve_requests(const struct serve *s);
unsigned long serve_errors(const struct serve *s);

/* Publishes the error reply for msg to reply. */
int serve_error(struct bus *b, const char *reply, const char *msg);

#endif
