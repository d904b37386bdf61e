/* The bus's output buffer: what is published goes into one buffer per
 * connection, and a flusher thread writes it out when woken, so a burst
 * of publishes leaves in one write (one TCP segment, one read in
 * nats-server) instead of one each. */
#ifndef SIEM_BUS_OUT_H
#define SIEM_BUS_OUT_H

#include <stddef.h>

/* The buffer's size: a message that does not fit in what is left of it
 * makes the caller write the buffer out itself, and one larger than the
 * whole buffer is written without copying its data. */
#define BUS_OUT_SIZE (64 * 1024)

struct bus_out;

/* A buffer with no connection yet, and its flusher thread; NULL when out
 * of memory. */
struct bus_out *bus_out_new(void);

/* Starts sending on fd (a new connection): first is what must go out
 * before anything sent after this call (the subscriptions). */
void bus_out_attach(struct bus_out *o, int fd, const char *first, size_t len);

/* Forgets the connection, dropping what was not written yet; once it
 * returns nothing writes to the old fd any more. */
void bus_out_detach(struct bus_out *o);

/* Queues one message: head, then len bytes of data, then tail (each may
 * be empty), after everything queued before. 0, or -1 with errno ENOTCONN
 * when there is no connection or a write failed (the connection is then
 * shut down, so its reader notices and reconnects). */
int bus_out_send(struct bus_out *o, const char *head, size_t hlen, const void *data, size_t len,
                 const char *tail, size_t tlen);

/* Writes out everything queued so far. 0, or -1 with errno ENOTCONN. */
int bus_out_flush(struct bus_out *o);

/* Writes and wake-ups so far (each write one send on the socket). */
struct bus_out_stats {
    unsigned long writes, kicks, bytes;
};
void bus_out_stats(struct bus_out *o, struct bus_out_stats *s);

#endif
