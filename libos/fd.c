/* The file descriptor table: each open descriptor is an object plus the
 * operations newlib's read/write/close reach it through. 0, 1 and 2 are
 * the serial console. */
#include <errno.h>
#include <poll.h>

#include "internal.h"
#include "serial.h"

#define MAX_FDS 256

static struct {
    const struct fd_ops *ops;
    void *obj;
} fds[MAX_FDS];

static ssize_t console_read(void *obj, void *buf, size_t n)
{
    (void)obj;
    return n ? (ssize_t)serial_read(buf, n) : 0;
}

static ssize_t console_write_op(void *obj, const void *buf, size_t n)
{
    (void)obj;
    console_write(buf, n);
    return (ssize_t)n;
}

static int console_close(void *obj)
{
    (void)obj;
    return 0;
}

/* Readable while the serial driver holds a byte; always writable. */
static short console_revents(void *obj, short events)
{
    (void)obj;
    return (short)(events & ((serial_readable() ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM));
}

const struct fd_ops fd_console_ops = {
    .read = console_read,
    .write = console_write_op,
    .close = console_close,
    .revents = console_revents,
};

__attribute__((constructor)) static void fd_init_console(void)
{
    for (int fd = 0; fd < 3; fd++)
        fds[fd].ops = &fd_console_ops;
}

int fd_alloc(const struct fd_ops *ops, void *obj)
{
    for (int fd = 0; fd < MAX_FDS; fd++) {
        if (!fds[fd].ops) {
            fds[fd].ops = ops;
            fds[fd].obj = obj;
            return fd;
        }
    }
    errno = EMFILE;
    return -1;
}

int fd_get(int fd, const struct fd_ops **ops, void **obj)
{
    if (fd < 0 || fd >= MAX_FDS || !fds[fd].ops) {
        errno = EBADF;
        return -1;
    }
    *ops = fds[fd].ops;
    *obj = fds[fd].obj;
    return 0;
}

int fd_count(void)
{
    int n = 0;
    for (int fd = 0; fd < MAX_FDS; fd++)
        n += fds[fd].ops != NULL;
    return n;
}

void fd_release(int fd)
{
    if (fd >= 0 && fd < MAX_FDS)
        fds[fd].ops = NULL;
}
