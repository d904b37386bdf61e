/* struct thread, shared by thread.c (scheduler), waitq.c and clock.c only. */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include "kernel.h"

enum thread_state { T_RUNNABLE, T_BLOCKED, T_DEAD };

/* A thread's record. It lives in pages of its own (thread.c), never on a
 * stack, so neither an overflow nor a stray write through a stack can reach
 * the registers a switch saved here. */
struct thread {
    struct arch_context ctx; /* callee-saved registers, rsp, rip while switched out */
    enum thread_state state;
    struct thread *qnext;  /* link in the run queue or one wait queue */
    struct waitq *waiting; /* the wait queue it is on, if blocked on one */
    struct timer timer;    /* sleep / wait timeout */
    int timed_out;
    struct thread *all_next;
    uint64_t stack_lo, stack_hi; /* mapped stack (stacks.c); the guard lies below */
    void (*fn)(void *);
    void *arg;
    void *user;
    char name[THREAD_NAME_MAX];
};

/* thread.c: make t runnable (interrupts must be off). */
void sched_wake(struct thread *t);
/* thread.c: switch away from the current thread, which has already been
 * marked blocked or queued (interrupts must be off). */
void schedule(void);
/* waitq.c: unlink t from q if it is there. */
void waitq_remove(struct waitq *q, struct thread *t);

#endif
