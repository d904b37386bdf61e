/* pipe() and pipe2(): a byte stream between threads of the image (a
 * library's wake-up channel, say: libmicrohttpd's inter-thread signal).
 * Each end is a descriptor; the pipe is freed when both are closed. Reads
 * and writes block as POSIX says unless O_NONBLOCK; poll() and select()
 * see the ends through their revents hook. With no signals, a write with
 * no reader left fails with EPIPE only. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

/* newlib declares it only for _GNU_SOURCE; libos is built without. */
int pipe2(int fds[2], int flags);

#include "cpu.h"
#include "internal.h"
#include "pipebuf.h"

/* Bytes a pipe buffers (Linux: 64 KiB; the image's users signal with a
 * byte or pass small messages). Writes of up to PIPE_BUF (newlib: 512)
 * bytes are atomic. */
#define PIPE_CAPACITY 4096

struct pipe {
    struct pipebuf buf;
    int readers, writers;             /* open ends: 1 or 0 each */
    struct waitq can_read, can_write; /* threads blocked in read / write */
    unsigned char data[PIPE_CAPACITY];
};

struct pipe_end {
    struct pipe *p;
    int writer;
    int nonblock;
};

static void pipe_changed(struct pipe *p)
{
    waitq_wake_all(&p->can_read);
    waitq_wake_all(&p->can_write);
    poll_notify();
}

/* Block until woken (threads switch only where one blocks, so the caller's
 * check still holds when the wait begins). */
static void pipe_wait(struct waitq *q)
{
    uint64_t flags = irq_save();
    waitq_wait(q);
    irq_restore(flags);
}

static ssize_t pipe_read(void *obj, void *buf, size_t n)
{
    struct pipe_end *e = obj;
    struct pipe *p = e->p;
    if (e->writer) {
        errno = EBADF;
        return -1;
    }
    if (n == 0)
        return 0;
    while (p->buf.used == 0) {
        if (!p->writers)
            return 0; /* end of file */
        if (e->nonblock) {
            errno = EAGAIN;
            return -1;
        }
        pipe_wait(&p->can_read);
    }
    size_t got = pipebuf_read(&p->buf, buf, n);
    pipe_changed(p);
    return (ssize_t)got;
}

static ssize_t pipe_write(void *obj, const void *buf, size_t n)
{
    struct pipe_end *e = obj;
    struct pipe *p = e->p;
    size_t done = 0;
    if (!e->writer) {
        errno = EBADF;
        return -1;
    }
    while (done < n) {
        if (!p->readers) {
            if (done)
                break;
            errno = EPIPE;
            return -1;
        }
        size_t now = pipebuf_writable(&p->buf, n - done, PIPE_BUF);
        if (now == 0) {
            if (e->nonblock) {
                if (done)
                    break;
                errno = EAGAIN;
                return -1;
            }
            pipe_wait(&p->can_write);
            continue;
        }
        done += pipebuf_write(&p->buf, (const unsigned char *)buf + done, now);
        pipe_changed(p);
    }
    return (ssize_t)done;
}

static int pipe_close(void *obj)
{
    struct pipe_end *e = obj;
    struct pipe *p = e->p;
    if (e->writer)
        p->writers = 0;
    else
        p->readers = 0;
    free(e);
    if (!p->readers && !p->writers) {
        free(p);
        return 0;
    }
    pipe_changed(p); /* blocked peers see end of file or EPIPE */
    return 0;
}

static int pipe_fcntl(void *obj, int cmd, int arg)
{
    struct pipe_end *e = obj;
    if (cmd == F_SETFL) {
        e->nonblock = (arg & O_NONBLOCK) != 0;
        return 0;
    }
    return (e->writer ? O_WRONLY : O_RDONLY) | (e->nonblock ? O_NONBLOCK : 0);
}

static short pipe_revents(void *obj, short events)
{
    struct pipe_end *e = obj;
    struct pipe *p = e->p;
    if (e->writer) {
        if (!p->readers)
            return POLLERR;
        return (short)(pipebuf_space(&p->buf) ? events & (POLLOUT | POLLWRNORM) : 0);
    }
    short r = (short)(p->buf.used ? events & (POLLIN | POLLRDNORM) : 0);
    return (short)(r | (p->writers ? 0 : POLLHUP));
}

static const struct fd_ops pipe_ops = {
    .read = pipe_read,
    .write = pipe_write,
    .close = pipe_close,
    .fcntl = pipe_fcntl,
    .revents = pipe_revents,
};

int pipe2(int fds[2], int flags)
{
    if (flags & ~(O_NONBLOCK | O_CLOEXEC)) {
        errno = EINVAL;
        return -1;
    }
    int nonblock = (flags & O_NONBLOCK) != 0;
    struct pipe *p = calloc(1, sizeof(*p));
    struct pipe_end *r = malloc(sizeof(*r)), *w = malloc(sizeof(*w));
    if (!p || !r || !w)
        goto nomem;
    pipebuf_init(&p->buf, p->data, sizeof(p->data));
    p->readers = p->writers = 1;
    *r = (struct pipe_end){p, 0, nonblock};
    *w = (struct pipe_end){p, 1, nonblock};
    if ((fds[0] = fd_alloc(&pipe_ops, r)) < 0)
        goto fail;
    if ((fds[1] = fd_alloc(&pipe_ops, w)) < 0) {
        fd_release(fds[0]);
        goto fail;
    }
    return 0;
nomem:
    errno = ENOMEM;
fail:
    free(p);
    free(r);
    free(w);
    return -1;
}

int pipe(int fds[2])
{
    return pipe2(fds, 0);
}
