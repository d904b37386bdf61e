/* Timer queue (timerq.c): timers sorted by deadline. No clock and no locking
 * inside, so the host unit tests can drive it with a fake clock. */
#ifndef KERNEL_TIMERQ_H
#define KERNEL_TIMERQ_H

#include <stdint.h>

struct timer {
    uint64_t deadline; /* monotonic nanoseconds */
    struct timer *next;
    int armed;
    void *owner; /* what to wake: a thread */
};

struct timerq {
    struct timer *head;
};

/* Insert t in deadline order; equal deadlines fire first-in first-out. */
void timerq_add(struct timerq *q, struct timer *t, uint64_t deadline);
/* Remove t if armed; harmless if it already fired. */
void timerq_remove(struct timerq *q, struct timer *t);
/* Unlink and return the earliest timer with deadline <= now, or NULL. */
struct timer *timerq_pop_expired(struct timerq *q, uint64_t now);
/* Deadline of the earliest timer, UINT64_MAX when the queue is empty. */
uint64_t timerq_next_deadline(const struct timerq *q);

#endif
