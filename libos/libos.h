/* libos's internal interface, grouped by the file that defines each
 * function. Apps never include this: they see only include/libos/. */
#ifndef LIBOS_LIBOS_H
#define LIBOS_LIBOS_H

#include <stddef.h>
#include <sys/types.h>

#include "kernel.h"

/* refuse.c: log one line naming a refused call and its caller */
void libos_refuse(const char *call, const char *detail, void *caller);

/* fd.c: the file descriptor table */
struct fd_ops {
    ssize_t (*read)(void *obj, void *buf, size_t n);
    ssize_t (*write)(void *obj, const void *buf, size_t n);
    int (*close)(void *obj);
};
int fd_alloc(const struct fd_ops *ops, void *obj); /* lowest free fd, or -1 + EMFILE */
int fd_get(int fd, const struct fd_ops **ops, void **obj); /* 0, or -1 + EBADF */
void fd_release(int fd);

#endif
