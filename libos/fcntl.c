/* Descriptor control and vectored I/O on any descriptor: fcntl, ioctl,
 * readv, writev. Objects that have flags (sockets) implement fcntl/ioctl
 * hooks; the console has none. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "internal.h"

int fcntl(int fd, int cmd, ...)
{
    const struct fd_ops *ops;
    void *obj;
    va_list ap;
    va_start(ap, cmd);
    int arg = cmd == F_SETFL || cmd == F_SETFD ? va_arg(ap, int) : 0;
    va_end(ap);
    if (fd_get(fd, &ops, &obj) < 0)
        return -1;
    switch (cmd) {
    case F_GETFD:
        return 0;
    case F_SETFD:
        return 0; /* FD_CLOEXEC: there is no exec */
    case F_GETFL:
    case F_SETFL:
        if (ops->fcntl)
            return ops->fcntl(obj, cmd, arg);
        return cmd == F_GETFL ? O_RDWR : 0;
    default:
        errno = EINVAL;
        return -1;
    }
}

int ioctl(int fd, unsigned long request, ...)
{
    const struct fd_ops *ops;
    void *obj;
    va_list ap;
    va_start(ap, request);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    if (fd_get(fd, &ops, &obj) < 0)
        return -1;
    if (!ops->ioctl) {
        errno = ENOTTY;
        return -1;
    }
    return ops->ioctl(obj, request, arg);
}

ssize_t readv(int fd, const struct iovec *iov, int iovcnt)
{
    if (iovcnt < 0 || iovcnt > IOV_MAX) {
        errno = EINVAL;
        return -1;
    }
    ssize_t total = 0;
    for (int i = 0; i < iovcnt; i++) {
        ssize_t r = read(fd, iov[i].iov_base, iov[i].iov_len);
        if (r < 0)
            return total ? total : -1;
        total += r;
        if ((size_t)r < iov[i].iov_len)
            break; /* nothing more waiting: do not block for the rest */
    }
    return total;
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt)
{
    if (iovcnt < 0 || iovcnt > IOV_MAX) {
        errno = EINVAL;
        return -1;
    }
    ssize_t total = 0;
    for (int i = 0; i < iovcnt; i++) {
        ssize_t r = write(fd, iov[i].iov_base, iov[i].iov_len);
        if (r < 0)
            return total ? total : -1;
        total += r;
        if ((size_t)r < iov[i].iov_len)
            break;
    }
    return total;
}
