/* Cooperative threads and the scheduler. A thread runs until it blocks,
 * sleeps, yields or exits; interrupts only make threads runnable. When
 * nothing is runnable the CPU halts until the next interrupt. Each stack
 * sits at the top of its own virtual slot, with unmapped pages below it, so
 * an overflow faults in the guard instead of corrupting a neighbour. */
#include <string.h>

#include "cpu.h"
#include "thread.h"

static struct thread *current;
static struct waitq runq;
static struct thread *all_threads;
static struct thread *dead; /* exited, stacks not yet freed */
static uint8_t slot_used[MAX_THREADS / 8];
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

static void stack_free(uint64_t lo, uint64_t hi)
{
    for (uint64_t va = lo; va < hi; va += PAGE_SIZE) {
        uint64_t pa = vm_translate(va);
        vm_unmap_page(va);
        if (pa != UINT64_MAX)
            page_free(pa);
    }
}

static int slot_take(void)
{
    for (int i = 0; i < MAX_THREADS; i++) {
        if (!(slot_used[i / 8] & (1u << (i % 8)))) {
            slot_used[i / 8] |= 1u << (i % 8);
            return i;
        }
    }
    return -1;
}

static void slot_release(int i)
{
    slot_used[i / 8] &= ~(1u << (i % 8));
}

/* Free the stacks of threads that exited (never the running one's). */
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
        int slot = t->slot;
        stack_free(t->stack_lo, t->stack_hi); /* t lives there: last use */
        slot_release(slot);
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
    stack_size = (stack_size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    if (stack_size > STACK_SLOT_SIZE - PAGE_SIZE)
        return NULL;
    uint64_t flags = irq_save();
    reap();
    int slot = slot_take();
    if (slot < 0) {
        irq_restore(flags);
        return NULL;
    }
    uint64_t hi = STACK_AREA + (uint64_t)(slot + 1) * STACK_SLOT_SIZE;
    uint64_t lo = hi - stack_size;
    for (uint64_t va = lo; va < hi; va += PAGE_SIZE) {
        uint64_t pa = page_alloc();
        if (!pa || vm_map_page(va, pa, VM_WRITE) < 0) {
            if (pa)
                page_free(pa);
            stack_free(lo, va);
            slot_release(slot);
            irq_restore(flags);
            return NULL;
        }
    }
    /* The thread's own record sits at the top of its stack. */
    struct thread *t = (struct thread *)(uintptr_t)((hi - sizeof(struct thread)) & ~63ul);
    memset(t, 0, sizeof(*t));
    t->stack_lo = lo;
    t->stack_hi = hi;
    t->slot = slot;
    t->fn = fn;
    t->arg = arg;
    strncpy(t->name, name, sizeof(t->name) - 1);
    t->timer.owner = t;
    arch_context_init(&t->ctx, t, thread_entry, t);
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
    for (struct thread *t = all_threads; t; t = t->all_next) {
        uint64_t slot_lo = t->stack_hi - STACK_SLOT_SIZE;
        if (va >= slot_lo && va < t->stack_lo)
            return t;
    }
    return NULL;
}

void sched_init(void)
{
    waitq_init(&runq);
}

void sched_start(void)
{
    irq_disable();
    struct arch_context boot; /* the boot stack is never resumed */
    current = runq_pop();
    kassert(current);
    arch_switch(&boot, &current->ctx);
    panic("sched_start: returned to the boot stack");
}
