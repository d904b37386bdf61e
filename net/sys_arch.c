/* lwIP's operating-system layer: semaphores, mutexes, mailboxes, threads,
 * time and random numbers over the kernel's cooperative threads and wait
 * queues. A thread only loses the CPU when it blocks, and interrupt handlers
 * never touch these primitives, so each is a plain counter or ring that
 * needs no lock to check or change; only sleeping on one turns interrupts
 * off (the kernel's rule for wait queues), from the last check to the
 * sleep, so no wake-up can slip in between. */
#include <errno.h>
#include <stdlib.h>

#include "cpu.h"
#include "kernel.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"

_Static_assert(sizeof(struct waitq) == 2 * sizeof(void *), "sys_arch.h waiter slots");
#define WQ(slots) ((struct waitq *)(void *)(slots))

#define NS_PER_MS 1000000ull

static struct thread *tcpip_thread; /* set once the tcpip thread runs */
static struct sys_wake *wakes;      /* threads sys_arch_wake_all() may wake */

void sys_init(void)
{
}

u32_t sys_now(void)
{
    return (u32_t)(clock_ns() / NS_PER_MS);
}

/* Milliseconds since start, kept below SYS_ARCH_TIMEOUT as lwIP requires. */
static u32_t elapsed_ms(uint64_t start)
{
    uint64_t ms = (clock_ns() - start) / NS_PER_MS;
    return ms >= SYS_ARCH_TIMEOUT ? SYS_ARCH_TIMEOUT - 1 : (u32_t)ms;
}

/* Block on q (interrupts off); timeout_ms 0 waits for ever. 0 if woken,
 * -ETIMEDOUT once the deadline passed. */
static int wait_on(void *slots, u32_t timeout_ms, uint64_t start)
{
    if (timeout_ms == 0) {
        waitq_wait(WQ(slots));
        return 0;
    }
    return waitq_wait_until(WQ(slots), start + timeout_ms * NS_PER_MS);
}

/* --- Semaphores ----------------------------------------------------------- */

err_t sys_sem_new(sys_sem_t *sem, u8_t count)
{
    *sem = (sys_sem_t){.count = count, .valid = 1};
    return ERR_OK;
}

void sys_sem_free(sys_sem_t *sem)
{
    sem->valid = 0;
}

void sys_sem_signal(sys_sem_t *sem)
{
    sem->count++;
    waitq_wake_one(WQ(sem->waiters));
}

static struct sys_wake *wake_of(struct thread *t)
{
    for (struct sys_wake *w = wakes; w; w = w->next)
        if (w->thread == t)
            return w;
    return NULL;
}

u32_t sys_arch_sem_wait(sys_sem_t *sem, u32_t timeout)
{
    uint64_t start = clock_ns();
    uint64_t flags = irq_save();
    struct sys_wake *w = wake_of(thread_current());
    while (sem->count == 0) {
        if (w && w->pending)
            break; /* woken from outside lwIP: return as if signalled */
        if (w)
            w->sem = sem;
        int r = wait_on(sem->waiters, timeout, start);
        if (w)
            w->sem = NULL;
        if (r == -ETIMEDOUT && sem->count == 0 && !(w && w->pending)) {
            irq_restore(flags);
            return SYS_ARCH_TIMEOUT;
        }
    }
    if (sem->count > 0)
        sem->count--;
    irq_restore(flags);
    return elapsed_ms(start);
}

void sys_arch_wake_begin(struct sys_wake *w)
{
    uint64_t flags = irq_save();
    *w = (struct sys_wake){.thread = thread_current(), .next = wakes};
    wakes = w;
    irq_restore(flags);
}

void sys_arch_wake_end(struct sys_wake *w)
{
    uint64_t flags = irq_save();
    for (struct sys_wake **p = &wakes; *p; p = &(*p)->next) {
        if (*p == w) {
            *p = w->next;
            break;
        }
    }
    irq_restore(flags);
}

void sys_arch_wake_all(void)
{
    uint64_t flags = irq_save();
    for (struct sys_wake *w = wakes; w; w = w->next) {
        w->pending = 1;
        if (w->sem)
            waitq_wake_all(WQ(w->sem->waiters));
    }
    irq_restore(flags);
}

/* --- Mutexes -------------------------------------------------------------- */

err_t sys_mutex_new(sys_mutex_t *m)
{
    *m = (sys_mutex_t){.valid = 1};
    return ERR_OK;
}

void sys_mutex_free(sys_mutex_t *m)
{
    m->valid = 0;
}

void sys_mutex_lock(sys_mutex_t *m)
{
    struct thread *me = thread_current();
    if (m->owner == me)
        panic("lwip: thread %s locks a mutex it already holds", thread_name(me));
    if (m->owner) {
        uint64_t flags = irq_save();
        while (m->owner)
            waitq_wait(WQ(m->waiters));
        irq_restore(flags);
    }
    m->owner = me;
}

void sys_mutex_unlock(sys_mutex_t *m)
{
    m->owner = NULL;
    waitq_wake_one(WQ(m->waiters));
}

/* --- Mailboxes: a ring of message pointers -------------------------------- */

err_t sys_mbox_new(sys_mbox_t *mb, int size)
{
    if (size <= 0)
        size = 32;
    *mb = (sys_mbox_t){.slots = calloc((size_t)size, sizeof(void *)), .size = (unsigned)size};
    return mb->slots ? ERR_OK : ERR_MEM;
}

void sys_mbox_free(sys_mbox_t *mb)
{
    free(mb->slots);
    mb->slots = NULL;
}

/* Interrupts off; the ring has room. */
static void put(sys_mbox_t *mb, void *msg)
{
    mb->slots[(mb->head + mb->count) % mb->size] = msg;
    mb->count++;
    waitq_wake_one(WQ(mb->not_empty));
}

/* Interrupts off; the ring is not empty. */
static void *take(sys_mbox_t *mb)
{
    void *msg = mb->slots[mb->head];
    mb->head = (mb->head + 1) % mb->size;
    mb->count--;
    waitq_wake_one(WQ(mb->not_full));
    return msg;
}

void sys_mbox_post(sys_mbox_t *mb, void *msg)
{
    if (mb->count == mb->size) {
        uint64_t flags = irq_save();
        while (mb->count == mb->size)
            waitq_wait(WQ(mb->not_full));
        irq_restore(flags);
    }
    put(mb, msg);
}

err_t sys_mbox_trypost(sys_mbox_t *mb, void *msg)
{
    if (mb->count == mb->size)
        return ERR_MEM;
    put(mb, msg);
    return ERR_OK;
}

err_t sys_mbox_trypost_fromisr(sys_mbox_t *mb, void *msg)
{
    return sys_mbox_trypost(mb, msg);
}

u32_t sys_arch_mbox_fetch(sys_mbox_t *mb, void **msg, u32_t timeout)
{
    uint64_t start = clock_ns();
    if (mb->count == 0) {
        uint64_t flags = irq_save();
        while (mb->count == 0) {
            if (wait_on(mb->not_empty, timeout, start) == -ETIMEDOUT && mb->count == 0) {
                irq_restore(flags);
                return SYS_ARCH_TIMEOUT;
            }
        }
        irq_restore(flags);
    }
    void *m = take(mb);
    if (msg)
        *msg = m;
    return elapsed_ms(start);
}

u32_t sys_arch_mbox_tryfetch(sys_mbox_t *mb, void **msg)
{
    if (mb->count == 0)
        return SYS_MBOX_EMPTY;
    void *m = take(mb);
    if (msg)
        *msg = m;
    return 0;
}

/* --- Threads, critical sections, checks, randomness ----------------------- */

sys_thread_t sys_thread_new(const char *name, lwip_thread_fn fn, void *arg, int stacksize, int prio)
{
    (void)prio; /* cooperative threads have no priorities */
    struct thread *t = thread_create(name, fn, arg, stacksize > 0 ? (size_t)stacksize : 0);
    if (!t)
        panic("lwip: cannot create thread %s", name);
    return t;
}

void sys_mark_tcpip_thread(void)
{
    tcpip_thread = thread_current();
}

/* LWIP_ASSERT_CORE_LOCKED: lwIP's core runs only in the tcpip thread or
 * under the core lock. Before the tcpip thread starts, lwip_init() runs
 * alone in the thread that called tcpip_init(). */
void sys_check_core_locking(void)
{
    struct thread *me = thread_current();
    if (tcpip_thread && me != tcpip_thread && lock_tcpip_core.owner != me)
        panic("lwip: core entered from thread %s without the core lock", thread_name(me));
}

/* The kernel's entropy: RDSEED or RDRAND, or a TSC mix on CPUs without them;
 * lwIP draws port numbers, TCP sequence numbers and DNS ids from it. */
uint32_t lwip_port_rand(void)
{
    return (uint32_t)entropy_u64();
}
