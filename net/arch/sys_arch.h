/* lwIP's operating-system types over the kernel's cooperative threads:
 * semaphores, mutexes and mailboxes are counters or rings plus wait queues
 * (two pointers each, kept opaque so lwIP needs no kernel header). */
#ifndef NET_ARCH_SYS_ARCH_H
#define NET_ARCH_SYS_ARCH_H

#include <stdint.h>

struct thread;

typedef struct sys_sem {
    unsigned count;
    int valid;
    void *waiters[2]; /* struct waitq */
} sys_sem_t;

typedef struct sys_mutex {
    struct thread *owner;
    int valid;
    void *waiters[2];
} sys_mutex_t;

typedef struct sys_mbox {
    void **slots; /* NULL: not a valid mailbox */
    unsigned size, count, head;
    void *not_empty[2], *not_full[2];
} sys_mbox_t;

typedef struct thread *sys_thread_t;

#define sys_sem_valid(s) ((s)->valid)
#define sys_sem_set_invalid(s) ((s)->valid = 0)
#define sys_mutex_valid(m) ((m)->valid)
#define sys_mutex_set_invalid(m) ((m)->valid = 0)
#define sys_mbox_valid(m) ((m)->slots != NULL)
#define sys_mbox_set_invalid(m) ((m)->slots = NULL)

/* Waking a thread out of lwIP: between sys_arch_wake_begin() and
 * sys_arch_wake_end(), the calling thread's sys_arch_sem_wait() returns at
 * once, as if signalled, after anyone called sys_arch_wake_all(). poll()
 * uses it so console input can end a wait inside lwip_poll(). */
struct sys_wake {
    struct thread *thread;
    sys_sem_t *sem; /* what the thread is blocked on, if anything */
    volatile int pending;
    struct sys_wake *next;
};
void sys_arch_wake_begin(struct sys_wake *w);
void sys_arch_wake_end(struct sys_wake *w);
void sys_arch_wake_all(void); /* safe in interrupt context */

#endif
