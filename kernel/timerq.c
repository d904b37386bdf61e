/* Timer queue: a singly linked list kept in deadline order. Sleeping threads
 * are few in a unikernel, so an ordered list beats a heap on size and speed. */
#include "timerq.h"

#include <stddef.h>

void timerq_add(struct timerq *q, struct timer *t, uint64_t deadline)
{
    if (t->armed)
        timerq_remove(q, t);
    t->deadline = deadline;
    struct timer **link = &q->head;
    while (*link && (*link)->deadline <= deadline)
        link = &(*link)->next;
    t->next = *link;
    *link = t;
    t->armed = 1;
}

void timerq_remove(struct timerq *q, struct timer *t)
{
    if (!t->armed)
        return;
    for (struct timer **link = &q->head; *link; link = &(*link)->next) {
        if (*link == t) {
            *link = t->next;
            break;
        }
    }
    t->next = NULL;
    t->armed = 0;
}

struct timer *timerq_pop_expired(struct timerq *q, uint64_t now)
{
    struct timer *t = q->head;
    if (!t || t->deadline > now)
        return NULL;
    q->head = t->next;
    t->next = NULL;
    t->armed = 0;
    return t;
}

uint64_t timerq_next_deadline(const struct timerq *q)
{
    return q->head ? q->head->deadline : UINT64_MAX;
}
