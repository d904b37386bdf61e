/* POSIX threads, the subset an ordinary threaded C server uses, over the
 * kernel's cooperative threads: a thread runs until it blocks (lock, wait,
 * I/O, sleep) or yields, so there is no preemption to guard against, only
 * blocking. Replaces newlib's <pthread.h>; the types are in
 * <sys/_pthreadtypes.h>, which replaces newlib's too. */
#ifndef LIBOS_PTHREAD_H
#define LIBOS_PTHREAD_H

#include <stddef.h>
#include <time.h>

#include <sys/_pthreadtypes.h>

#define PTHREAD_MUTEX_INITIALIZER                                                                  \
    {                                                                                              \
        0                                                                                          \
    }
#define PTHREAD_COND_INITIALIZER                                                                   \
    {                                                                                              \
        {                                                                                          \
            0                                                                                      \
        }                                                                                          \
    }
#define PTHREAD_ONCE_INIT                                                                          \
    {                                                                                              \
        0                                                                                          \
    }

#define PTHREAD_CREATE_JOINABLE 0
#define PTHREAD_CREATE_DETACHED 1
#define PTHREAD_MUTEX_NORMAL 0
#define PTHREAD_MUTEX_RECURSIVE 1
#define PTHREAD_MUTEX_ERRORCHECK 2
#define PTHREAD_MUTEX_DEFAULT PTHREAD_MUTEX_NORMAL
#define PTHREAD_KEYS_MAX 64
#define PTHREAD_STACK_MIN 16384
/* The largest stack a thread may have, 16 MiB - 64 KiB: at least 64 KiB of
 * unmapped guard stays below every stack. Larger sizes are EINVAL. */
#define PTHREAD_STACK_MAX ((16ul << 20) - (64ul << 10))

int pthread_create(pthread_t *thread, const pthread_attr_t *attr, void *(*fn)(void *), void *arg);
int pthread_join(pthread_t thread, void **retval);
int pthread_detach(pthread_t thread);
pthread_t pthread_self(void);
int pthread_equal(pthread_t a, pthread_t b);
void pthread_exit(void *retval) __attribute__((noreturn));

int pthread_attr_init(pthread_attr_t *attr);
int pthread_attr_destroy(pthread_attr_t *attr);
int pthread_attr_setdetachstate(pthread_attr_t *attr, int state);
int pthread_attr_getdetachstate(const pthread_attr_t *attr, int *state);
int pthread_attr_setstacksize(pthread_attr_t *attr, size_t size);
int pthread_attr_getstacksize(const pthread_attr_t *attr, size_t *size);
/* The stack's lowest address and size, for an attr filled in by
 * pthread_getattr_np (addr is NULL for any other). */
int pthread_attr_getstack(const pthread_attr_t *attr, void **addr, size_t *size);

/* GNU extensions: the attributes of a running thread, stack included; a
 * thread's name (at most 15 characters: else ERANGE), which fault reports
 * print. */
int pthread_getattr_np(pthread_t thread, pthread_attr_t *attr);
int pthread_setname_np(pthread_t thread, const char *name);

int pthread_mutexattr_init(pthread_mutexattr_t *attr);
int pthread_mutexattr_destroy(pthread_mutexattr_t *attr);
int pthread_mutexattr_settype(pthread_mutexattr_t *attr, int type);
int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *attr);
int pthread_mutex_destroy(pthread_mutex_t *m);
int pthread_mutex_lock(pthread_mutex_t *m);
int pthread_mutex_trylock(pthread_mutex_t *m);
int pthread_mutex_unlock(pthread_mutex_t *m);

int pthread_condattr_init(pthread_condattr_t *attr);
int pthread_condattr_destroy(pthread_condattr_t *attr);
int pthread_cond_init(pthread_cond_t *c, const pthread_condattr_t *attr);
int pthread_cond_destroy(pthread_cond_t *c);
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m);
/* abstime is CLOCK_REALTIME, as POSIX says by default. */
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abstime);
int pthread_cond_signal(pthread_cond_t *c);
int pthread_cond_broadcast(pthread_cond_t *c);

int pthread_once(pthread_once_t *once, void (*fn)(void));

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *));
int pthread_key_delete(pthread_key_t key);
void *pthread_getspecific(pthread_key_t key);
int pthread_setspecific(pthread_key_t key, const void *value);

int sched_yield(void);

#endif
