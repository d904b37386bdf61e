/* The pthread types, replacing newlib's <sys/_pthreadtypes.h> (which
 * <sys/types.h> includes): plain structs a zeroed static initialiser makes
 * ready, instead of newlib's integer handles. */
#ifndef _SYS__PTHREADTYPES_H_
#define _SYS__PTHREADTYPES_H_

#include <stddef.h>
#include <sys/sched.h>

typedef struct libos_pthread *pthread_t;

typedef struct {
    int detachstate;
    size_t stacksize;
    void *stackaddr; /* set by pthread_getattr_np only: the stack's lowest byte */
} pthread_attr_t;

/* Opaque to apps: a wait queue is two pointers. All-zero is initialised. */
typedef struct {
    void *_owner;
    void *_waiters[2];
    int _type;
    int _count;
} pthread_mutex_t;

typedef struct {
    int _type;
} pthread_mutexattr_t;

typedef struct {
    void *_waiters[2];
} pthread_cond_t;

typedef struct {
    int _unused;
} pthread_condattr_t;

typedef struct {
    int _state; /* 0 not run, 1 running, 2 done */
    void *_waiters[2];
} pthread_once_t;

typedef unsigned pthread_key_t;

#endif
