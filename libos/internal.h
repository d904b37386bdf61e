/* libos's internal interface, grouped by the file that defines each
 * function. Apps never include this: they see only include/libos/. */
#ifndef LIBOS_INTERNAL_H
#define LIBOS_INTERNAL_H

#include <stddef.h>
#include <sys/types.h>

#include "kernel.h"

/* refuse.c: log one line naming a refused call and its caller */
void libos_refuse(const char *call, const char *detail, void *caller);

/* start.c: the parsed kernel command line, for subsystems that start
 * before main() (constructors) */
extern const struct cmdline *libos_cmdline;

/* syscalls.c: bytes the heap holds now (sbrk's total) and at most so far */
extern size_t libos_heap_size, libos_heap_peak;

/* stats.c: start the stats channel when the kernel option stats=SECONDS
 * asks for it (README: kernel options) */
void stats_start(const struct cmdline *cl);

/* One descriptor of a poll() call as an fd_ops poll hook sees it; events
 * and revents are <poll.h> bits. */
struct poll_item {
    void *obj;
    short events, revents;
};

/* resolve.c: look name up in DNS for family (AF_INET, AF_INET6 or
 * AF_UNSPEC); fills addr (4 or 16 bytes) and returns its family, or a
 * negative EAI_ code. */
int sock_resolve(const char *name, int family, unsigned char addr[16]);

/* fd.c: the file descriptor table */
struct fd_ops {
    ssize_t (*read)(void *obj, void *buf, size_t n);
    ssize_t (*write)(void *obj, const void *buf, size_t n);
    int (*close)(void *obj);
    /* The rest is optional (NULL: the object has no such operation). */
    int (*fcntl)(void *obj, int cmd, int arg); /* F_GETFL, F_SETFL (O_NONBLOCK) */
    int (*ioctl)(void *obj, unsigned long request, void *arg);
    /* poll.c: set revents of n items (objects with these ops), waiting up
     * to timeout_ms (-1: no limit) while none is ready. With other_ready,
     * the wait also ends, returning 0, once other_ready(ctx) would be true:
     * the hook arms poll_kick before it last calls other_ready(). Returns
     * how many items have revents, or -1 + errno. */
    int (*poll)(struct poll_item *items, int n, int timeout_ms, int (*other_ready)(void *ctx),
                void *ctx);
    /* Any context: end the waits of poll hooks given other_ready. */
    void (*poll_kick)(void);
    /* Objects whose readiness is known at once (the console, pipes): the
     * <poll.h> bits of events that hold now (POLLHUP, POLLERR whether asked
     * or not). Whatever may change them calls poll_notify(). */
    short (*revents)(void *obj, short events);
};
extern const struct fd_ops fd_console_ops;                 /* fds 0, 1, 2 */
int fd_alloc(const struct fd_ops *ops, void *obj);         /* lowest free fd, or -1 + EMFILE */
int fd_get(int fd, const struct fd_ops **ops, void **obj); /* 0, or -1 + EBADF */
void fd_release(int fd);
int fd_count(void); /* descriptors open, the console's three included */

/* poll.c: wake poll() and select() calls waiting on objects with a revents
 * hook, because their readiness may have changed. Any context, even an
 * interrupt handler. */
void poll_notify(void);

#endif
