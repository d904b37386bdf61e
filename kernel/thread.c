/* Cooperative threads and the scheduler. A thread runs until it blocks,
 * sleeps, yields or exits; interrupts only make threads runnable. When
 * nothing is runnable the CPU halts until the next interrupt. Each stack
 * sits at the top of its own virtual slot with at least STACK_GUARD_MIN
 * unmapped below it (stacks.c); the thread's record, with the registers a
 * switch saves, lives apart from every stack. */
#include <string.h>

#include "cpu.h"
#include "thread.h"

static struct thread *current;
static struct waitq runq;
static struct thread *all_threads;
static struct thread *dead;         /* exited, stacks not yet freed */
static struct thread *free_records; /* linked through qnext */
static void (*flush_fns[SCHED_FLUSH_MAX])(void);
static int n_flush;

static void runq_push(struct thread *t)
{
    t->qnext = NULL;
    if (runq.tail)
        runq.tail->qnext = t;
    else
        runq.head = t;
    runq.tail = t;
}

static struct thread *runq_pop(void)
{
    struct thread *t = runq.head;
    if (t) {
        runq.head = t->qnext;
        if (!runq.head)
            runq.tail = NULL;
        t->qnext = NULL;
    }
    return t;
}

/* Records are cut from whole pages of the page allocator (identity-mapped
 * RAM, far from the stack area) and kept for reuse once freed. */
static struct thread *record_alloc(void)
{
    if (!free_records) {
        uint64_t pa = page_alloc();
        if (!pa)
            return NULL;
        struct thread *r = (struct thread *)(uintptr_t)pa;
        for (size_t i = 0; i < PAGE_SIZE / sizeof(*r); i++) {
            r[i].qnext = free_records;
            free_records = &r[i];
        }
    }
    struct thread *t = free_records;
    free_records = t->qnext;
    memset(t, 0, sizeof(*t));
    return t;
}

static void record_free(struct thread *t)
{
    t->qnext = free_records;
    free_records = t;
}

/* Free the stacks and records of threads that exited (never the running
 * one's: we are on its stack). */
static void reap(void)
{
    while (dead && dead != current) {
        struct thread *t = dead;
        dead = t->qnext;
        for (struct thread **p = &all_threads; *p; p = &(*p)->all_next) {
            if (*p == t) {
                *p = t->all_next;
                break;
            }
        }
        stack_free(t->stack_lo, t->stack_hi);
        record_free(t);
    }
}

static void thread_entry(void *arg)
{
    struct thread *t = arg;
    irq_enable();
    t->fn(t->arg);
    thread_exit();
}

struct thread *thread_create(const char *name, void (*fn)(void *), void *arg, size_t stack_size)
{
    if (stack_size == 0)
        stack_size = THREAD_STACK_SIZE;
    if (stack_size > STACK_MAX) {
        kprintf("thread: '%s' asks for a %zu KiB stack; the largest is %lu KiB (a %lu KiB "
                "guard stays below every stack)\n",
                name, stack_size >> 10, STACK_MAX >> 10, STACK_GUARD_MIN >> 10);
        return NULL;
    }
    uint64_t flags = irq_save();
    reap();
    struct thread *t = record_alloc();
    if (!t || stack_alloc(stack_size, &t->stack_lo, &t->stack_hi) < 0) {
        if (t)
            record_free(t);
        irq_restore(flags);
        return NULL;
    }
    t->fn = fn;
    t->arg = arg;
    strncpy(t->name, name, sizeof(t->name) - 1);
    t->timer.owner = t;
    arch_context_init(&t->ctx, t->stack_hi, thread_entry, t);
    t->all_next = all_threads;
    all_threads = t;
    t->state = T_RUNNABLE;
    runq_push(t);
    irq_restore(flags);
    return t;
}

struct thread *thread_current(void)
{
    return current;
}

const char *thread_name(const struct thread *t)
{
    return t ? t->name : "boot";
}

void thread_set_name(struct thread *t, const char *name)
{
    memset(t->name, 0, sizeof(t->name));
    strncpy(t->name, name, sizeof(t->name) - 1);
}

void thread_stack(const struct thread *t, uint64_t *lo, uint64_t *hi)
{
    *lo = t->stack_lo;
    *hi = t->stack_hi;
}

void *thread_user(struct thread *t)
{
    return t->user;
}

void thread_set_user(struct thread *t, void *p)
{
    t->user = p;
}

void sched_wake(struct thread *t)
{
    if (t->state != T_BLOCKED)
        return;
    if (t->waiting)
        waitq_remove(t->waiting, t);
    timers_cancel(&t->timer);
    t->state = T_RUNNABLE;
    runq_push(t);
}

void sched_add_flush(void (*fn)(void))
{
    kassert(n_flush < SCHED_FLUSH_MAX);
    flush_fns[n_flush++] = fn;
}

void schedule(void)
{
    for (int i = 0; i < n_flush; i++)
        flush_fns[i]();
    for (;;) {
        struct thread *next = runq_pop();
        if (next) {
            struct thread *prev = current;
            if (next != prev) {
                current = next;
                arch_switch(&prev->ctx, &next->ctx);
            }
            reap();
            return;
        }
        irq_enable_and_halt(); /* idle until an interrupt wakes someone */
        irq_disable();
    }
}

void thread_yield(void)
{
    uint64_t flags = irq_save();
    runq_push(current);
    schedule();
    irq_restore(flags);
}

void thread_exit(void)
{
    irq_disable();
    current->state = T_DEAD;
    current->qnext = dead;
    dead = current;
    schedule();
    panic("thread_exit: a dead thread was resumed");
}

int thread_count(void)
{
    int n = 0;
    uint64_t flags = irq_save();
    for (struct thread *t = all_threads; t; t = t->all_next)
        n += t->state != T_DEAD;
    irq_restore(flags);
    return n;
}

struct thread *thread_by_guard(uint64_t va)
{
    for (struct thread *t = all_threads; t; t = t->all_next)
        if (va >= stack_slot_lo(t->stack_hi) && va < t->stack_lo)
            return t;
    return NULL;
}

void sched_init(void)
{
    waitq_init(&runq);
}

void sched_start(void)
{
    irq_disable();
    static struct arch_context boot; /* the boot stack is never resumed */
    current = runq_pop();
    kassert(current);
    arch_switch(&boot, &current->ctx);
    panic("sched_start: returned to the boot stack");
}
