/* Scatter/gather I/O: struct iovec, readv and writev (POSIX <sys/uio.h>). */
#ifndef LIBOS_SYS_UIO_H
#define LIBOS_SYS_UIO_H

#include <stddef.h>
#include <sys/types.h>

struct iovec {
    void *iov_base;
    size_t iov_len;
};

#define IOV_MAX 1024

ssize_t readv(int fd, const struct iovec *iov, int iovcnt);
ssize_t writev(int fd, const struct iovec *iov, int iovcnt);

#endif
