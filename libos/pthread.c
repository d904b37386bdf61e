/* POSIX threads over the kernel's cooperative threads and wait queues.
 * Because a thread only loses the CPU when it blocks, a mutex is an owner
 * field plus a wait queue, and a condition variable is a wait queue. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "internal.h"

struct libos_pthread {
    struct thread *kt;
    void *(*fn)(void *);
    void *arg;
    void *ret;
    int detached, done;
    struct waitq joiners;
    struct {
        void *value;
        unsigned gen; /* the key's generation when value was set */
    } keys[PTHREAD_KEYS_MAX];
};

_Static_assert(sizeof(struct waitq) == 2 * sizeof(void *), "pthread.h waiter slots");
_Static_assert(PTHREAD_STACK_MAX == STACK_MAX, "pthread.h states the kernel's limit");
#define WQ(slots) ((struct waitq *)(void *)(slots))

/* A deleted key's slot may be handed out again. Each slot counts its
 * deletions, and a thread's value counts only if it was set in the current
 * generation: a new key then reads NULL in every thread (POSIX) without
 * visiting each thread, and no destructor sees a deleted key's values. */
static struct {
    int used;
    unsigned gen;
    void (*destructor)(void *);
} keys[PTHREAD_KEYS_MAX];

pthread_t pthread_self(void)
{
    struct thread *kt = thread_current();
    struct libos_pthread *p = thread_user(kt);
    if (!p) { /* main(), or a thread the kernel started: adopt it */
        p = calloc(1, sizeof(*p));
        if (!p)
            panic("pthread_self: out of memory");
        p->kt = kt;
        thread_set_user(kt, p);
    }
    return p;
}

static void run_key_destructors(struct libos_pthread *p)
{
    for (int i = 0; i < PTHREAD_KEYS_MAX; i++) {
        void *v = p->keys[i].value;
        if (v && keys[i].used && p->keys[i].gen == keys[i].gen && keys[i].destructor) {
            p->keys[i].value = NULL;
            keys[i].destructor(v);
        }
    }
}

void pthread_exit(void *retval)
{
    struct libos_pthread *p = pthread_self();
    run_key_destructors(p);
    p->ret = retval;
    p->done = 1;
    thread_set_user(p->kt, NULL);
    if (p->detached)
        free(p); /* p lives on the heap, not on the stack we are still using */
    else
        waitq_wake_all(&p->joiners);
    thread_exit();
}

static void trampoline(void *arg)
{
    struct libos_pthread *p = arg;
    pthread_exit(p->fn(p->arg));
}

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    struct libos_pthread *p = calloc(1, sizeof(*p));
    if (!p)
        return EAGAIN;
    p->fn = fn;
    p->arg = arg;
    if (attr && attr->stacksize > STACK_MAX) { /* set by hand, past setstacksize's check */
        free(p);
        return EINVAL;
    }
    p->detached = attr && attr->detachstate == PTHREAD_CREATE_DETACHED;
    waitq_init(&p->joiners);
    p->kt = thread_create("pthread", trampoline, p, attr ? attr->stacksize : 0);
    if (!p->kt) {
        free(p);
        return EAGAIN;
    }
    thread_set_user(p->kt, p); /* before it first runs: we have not yielded */
    *thread = p;
    return 0;
}

int pthread_join(pthread_t p, void **retval)
{
    if (p == pthread_self())
        return EDEADLK;
    if (p->detached)
        return EINVAL;
    uint64_t flags = irq_save();
    while (!p->done)
        waitq_wait(&p->joiners);
    irq_restore(flags);
    if (retval)
        *retval = p->ret;
    free(p);
    return 0;
}

int pthread_detach(pthread_t p)
{
    if (p->detached)
        return EINVAL;
    if (p->done)
        free(p);
    else
        p->detached = 1;
    return 0;
}

int pthread_equal(pthread_t a, pthread_t b)
{
    return a == b;
}

int pthread_attr_init(pthread_attr_t *attr)
{
    *attr = (pthread_attr_t){.detachstate = PTHREAD_CREATE_JOINABLE};
    return 0;
}

int pthread_attr_destroy(pthread_attr_t *attr)
{
    (void)attr;
    return 0;
}

int pthread_attr_setdetachstate(pthread_attr_t *attr, int state)
{
    if (state != PTHREAD_CREATE_JOINABLE && state != PTHREAD_CREATE_DETACHED)
        return EINVAL;
    attr->detachstate = state;
    return 0;
}

int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state)
{
    *state = attr->detachstate;
    return 0;
}

int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size)
{
    if (size < PTHREAD_STACK_MIN || size > STACK_MAX)
        return EINVAL;
    attr->stacksize = size;
    return 0;
}

int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size)
{
    *size = attr->stacksize ? attr->stacksize : THREAD_STACK_SIZE;
    return 0;
}

int pthread_attr_getstack(const pthread_attr_t *attr, void **addr, size_t *size)
{
    *addr = attr->stackaddr;
    return pthread_attr_getstacksize(attr, size);
}

int pthread_getattr_np(pthread_t p, pthread_attr_t *attr)
{
    if (p->done)
        return ESRCH; /* its stack is gone */
    uint64_t lo, hi;
    thread_stack(p->kt, &lo, &hi);
    *attr = (pthread_attr_t){
        .detachstate = p->detached ? PTHREAD_CREATE_DETACHED : PTHREAD_CREATE_JOINABLE,
        .stacksize = (size_t)(hi - lo),
        .stackaddr = (void *)(uintptr_t)lo,
    };
    return 0;
}

int pthread_setname_np(pthread_t p, const char *name)
{
    if (p->done)
        return ESRCH;
    if (strlen(name) >= THREAD_NAME_MAX)
        return ERANGE;
    thread_set_name(p->kt, name);
    return 0;
}

int pthread_mutexattr_init(pthread_mutexattr_t *attr)
{
    attr->_type = PTHREAD_MUTEX_DEFAULT;
    return 0;
}

int pthread_mutexattr_destroy(pthread_mutexattr_t *attr)
{
    (void)attr;
    return 0;
}

int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type)
{
    if (type < PTHREAD_MUTEX_NORMAL || type > PTHREAD_MUTEX_ERRORCHECK)
        return EINVAL;
    attr->_type = type;
    return 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr)
{
    *m = (pthread_mutex_t){._type = attr ? attr->_type : PTHREAD_MUTEX_DEFAULT};
    return 0;
}

int pthread_mutex_destroy(pthread_mutex_t *m)
{
    return m->_owner ? EBUSY : 0;
}

int pthread_mutex_trylock(pthread_mutex_t *m)
{
    struct thread *me = thread_current();
    if (m->_owner == me && m->_type == PTHREAD_MUTEX_RECURSIVE) {
        m->_count++;
        return 0;
    }
    if (m->_owner)
        return EBUSY;
    m->_owner = me;
    m->_count = 1;
    return 0;
}

int pthread_mutex_lock(pthread_mutex_t *m)
{
    struct thread *me = thread_current();
    if (m->_owner == me) {
        if (m->_type != PTHREAD_MUTEX_RECURSIVE)
            return EDEADLK; /* waiting would never end: nobody else can unlock */
        m->_count++;
        return 0;
    }
    uint64_t flags = irq_save();
    while (m->_owner)
        waitq_wait(WQ(m->_waiters));
    m->_owner = me;
    m->_count = 1;
    irq_restore(flags);
    return 0;
}

int pthread_mutex_unlock(pthread_mutex_t *m)
{
    if (m->_owner != thread_current())
        return EPERM;
    if (--m->_count > 0)
        return 0;
    m->_owner = NULL;
    waitq_wake_one(WQ(m->_waiters));
    return 0;
}

int pthread_condattr_init(pthread_condattr_t *attr)
{
    (void)attr;
    return 0;
}

int pthread_condattr_destroy(pthread_condattr_t *attr)
{
    (void)attr;
    return 0;
}

int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr)
{
    (void)attr;
    *c = (pthread_cond_t){{0}};
    return 0;
}

int pthread_cond_destroy(pthread_cond_t *c)
{
    return WQ(c->_waiters)->head ? EBUSY : 0;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
    return pthread_cond_timedwait(c, m, NULL);
}

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime)
{
    int count = m->_count;
    if (m->_owner != thread_current())
        return EPERM;
    uint64_t deadline = UINT64_MAX;
    if (abstime) {
        int64_t abs_ns = (int64_t)abstime->tv_sec * 1000000000 + abstime->tv_nsec;
        int64_t left = abs_ns - clock_wall_ns();
        deadline = left <= 0 ? 0 : clock_ns() + (uint64_t)left;
    }
    /* Interrupts stay off from the unlock until we sleep: no wake-up is lost. */
    uint64_t flags = irq_save();
    m->_count = 1;
    pthread_mutex_unlock(m);
    int r = 0;
    if (abstime)
        r = waitq_wait_until(WQ(c->_waiters), deadline);
    else
        waitq_wait(WQ(c->_waiters));
    irq_restore(flags);
    pthread_mutex_lock(m);
    m->_count = count;
    return r == -ETIMEDOUT ? ETIMEDOUT : 0;
}

int pthread_cond_signal(pthread_cond_t *c)
{
    waitq_wake_one(WQ(c->_waiters));
    return 0;
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
    waitq_wake_all(WQ(c->_waiters));
    return 0;
}

int pthread_once(pthread_once_t *once, void (*fn)(void))
{
    if (once->_state == 0) {
        once->_state = 1;
        fn();
        once->_state = 2;
        waitq_wake_all(WQ(once->_waiters));
    }
    uint64_t flags = irq_save();
    while (once->_state != 2) /* fn blocked and another thread got here */
        waitq_wait(WQ(once->_waiters));
    irq_restore(flags);
    return 0;
}

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
    for (unsigned i = 0; i < PTHREAD_KEYS_MAX; i++) {
        if (!keys[i].used) {
            keys[i].used = 1;
            keys[i].destructor = destructor;
            *key = i;
            return 0;
        }
    }
    return EAGAIN;
}

int pthread_key_delete(pthread_key_t key)
{
    if (key >= PTHREAD_KEYS_MAX || !keys[key].used)
        return EINVAL;
    keys[key].used = 0;
    keys[key].gen++; /* every thread's value for it is stale now */
    return 0;
}

void *pthread_getspecific(pthread_key_t key)
{
    if (key >= PTHREAD_KEYS_MAX)
        return NULL;
    struct libos_pthread *p = pthread_self();
    return p->keys[key].gen == keys[key].gen ? p->keys[key].value : NULL;
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
    if (key >= PTHREAD_KEYS_MAX || !keys[key].used)
        return EINVAL;
    struct libos_pthread *p = pthread_self();
    p->keys[key].value = (void *)(uintptr_t)value;
    p->keys[key].gen = keys[key].gen;
    return 0;
}

int sched_yield(void)
{
    thread_yield();
    return 0;
}
