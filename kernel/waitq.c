/* Wait queues: threads blocked until another thread or an interrupt wakes
 * them, optionally with a deadline. */
#include <errno.h>

#include "cpu.h"
#include "thread.h"

void waitq_init(struct waitq *q)
{
    q->head = q->tail = NULL;
}

void waitq_remove(struct waitq *q, struct thread *t)
{
    struct thread *prev = NULL;
    for (struct thread *p = q->head; p; prev = p, p = p->qnext) {
        if (p != t)
            continue;
        if (prev)
            prev->qnext = p->qnext;
        else
            q->head = p->qnext;
        if (q->tail == p)
            q->tail = prev;
        break;
    }
    t->qnext = NULL;
    t->waiting = NULL;
}

static void enqueue(struct waitq *q, struct thread *t)
{
    t->qnext = NULL;
    if (q->tail)
        q->tail->qnext = t;
    else
        q->head = t;
    q->tail = t;
    t->waiting = q;
    t->state = T_BLOCKED;
}

void waitq_wait(struct waitq *q)
{
    enqueue(q, thread_current());
    schedule();
}

int waitq_wait_until(struct waitq *q, uint64_t deadline_ns)
{
    struct thread *t = thread_current();
    if (clock_ns() >= deadline_ns)
        return -ETIMEDOUT;
    t->timed_out = 0;
    enqueue(q, t);
    timers_arm(&t->timer, deadline_ns);
    schedule();
    return t->timed_out ? -ETIMEDOUT : 0;
}

/* An empty queue needs no interrupt-off section: interrupt handlers only
 * ever take threads off wait queues, never put them on, so a queue seen
 * empty stays empty until some thread waits on it. */
int waitq_wake_one(struct waitq *q)
{
    if (!q->head)
        return 0;
    uint64_t flags = irq_save();
    struct thread *t = q->head;
    if (t)
        sched_wake(t);
    irq_restore(flags);
    return t != NULL;
}

int waitq_wake_all(struct waitq *q)
{
    if (!q->head)
        return 0;
    uint64_t flags = irq_save();
    int n = 0;
    while (q->head) {
        sched_wake(q->head);
        n++;
    }
    irq_restore(flags);
    return n;
}
