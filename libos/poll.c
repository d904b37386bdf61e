/* poll() and select() over any mix of descriptors. Sockets are polled
 * together through their fd_ops poll hook (one lwip_poll call), which also
 * does the blocking; objects with a revents hook (the console, pipes) say
 * at once whether they are ready, and poll_notify() (the console's
 * interrupt, a pipe's reader or writer) ends a wait early. Only images
 * that call poll() or select() contain any of this. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

#include "cpu.h"
#include "internal.h"
#include "serial.h"

/* Threads blocked in poll() on revents-hook objects alone. */
static struct waitq local_waiters;
/* The poll hook (sockets') to kick on poll_notify(), and how many of its
 * waits currently include revents-hook objects. */
static const struct fd_ops *kick_hook;
static volatile int kick_count;
static int console_notify_set;

void poll_notify(void)
{
    uint64_t flags = irq_save();
    waitq_wake_all(&local_waiters);
    if (kick_count && kick_hook->poll_kick)
        kick_hook->poll_kick();
    irq_restore(flags);
}

/* Set the revents of the descriptors of fds that have a revents hook;
 * returns how many are ready. */
static int local_revents(struct pollfd *fds, nfds_t nfds)
{
    int ready = 0;
    for (nfds_t i = 0; i < nfds; i++) {
        const struct fd_ops *ops;
        void *obj;
        if (fds[i].fd >= 0 && fd_get(fds[i].fd, &ops, &obj) == 0 && ops->revents &&
            (fds[i].revents = ops->revents(obj, fds[i].events)))
            ready++;
    }
    return ready;
}

struct local_set {
    struct pollfd *fds;
    nfds_t nfds;
};

/* The socket hook's other_ready: a revents-hook descriptor became ready. */
static int local_ready(void *ctx)
{
    struct local_set *l = ctx;
    return local_revents(l->fds, l->nfds) != 0;
}

/* Milliseconds left until deadline (UINT64_MAX: none), rounded up; -1 for
 * no limit. */
static int ms_left(uint64_t deadline)
{
    if (deadline == UINT64_MAX)
        return -1;
    uint64_t now = clock_ns();
    if (now >= deadline)
        return 0;
    uint64_t ms = (deadline - now + 999999) / 1000000;
    return ms > 0x7fffffff ? 0x7fffffff : (int)ms;
}

/* Wait for a poll_notify() or the deadline, unless a revents-hook
 * descriptor is ready already. Interrupts are off from the check to the
 * wait, so an interrupt's notify cannot be missed; another thread's cannot
 * come in between either, as threads switch only where one blocks. */
static void local_wait(struct local_set *l, uint64_t deadline)
{
    uint64_t flags = irq_save();
    if (!local_ready(l)) {
        if (deadline == UINT64_MAX)
            waitq_wait(&local_waiters);
        else
            waitq_wait_until(&local_waiters, deadline);
    }
    irq_restore(flags);
}

int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
    if (nfds > 4096 || (nfds && !fds)) {
        errno = EINVAL;
        return -1;
    }
    uint64_t deadline = timeout < 0 ? UINT64_MAX : clock_ns() + (uint64_t)timeout * 1000000;
    struct poll_item small[16], *items = small;
    int small_at[16], *at = small_at; /* items[j] is fds[at[j]] */
    const struct fd_ops *hook = NULL;
    int n_items = 0, n_local = 0, fixed = 0, r = -1;
    struct local_set local = {fds, nfds};
    if (nfds > 16) {
        items = malloc(nfds * sizeof(*items));
        at = malloc(nfds * sizeof(*at));
        if (!items || !at) {
            errno = ENOMEM;
            goto out;
        }
    }
    /* Sort the descriptors once: hooked objects (sockets) go to items. */
    for (nfds_t i = 0; i < nfds; i++) {
        const struct fd_ops *ops;
        void *obj;
        fds[i].revents = 0;
        if (fds[i].fd < 0)
            continue;
        if (fd_get(fds[i].fd, &ops, &obj) < 0) {
            fds[i].revents = POLLNVAL;
        } else if (ops->poll && (!hook || ops == hook)) {
            hook = ops;
            items[n_items] = (struct poll_item){obj, fds[i].events, 0};
            at[n_items++] = (int)i;
            continue;
        } else if (ops->revents) {
            n_local++;
            if (ops == &fd_console_ops && !console_notify_set) {
                console_notify_set = 1;
                serial_set_notify(poll_notify);
            }
            continue;
        } else {
            fds[i].revents = (short)(fds[i].events & (POLLIN | POLLOUT)); /* never blocks */
        }
        fixed += fds[i].revents != 0;
    }
    for (;;) {
        int ready = fixed + (n_local ? local_revents(fds, nfds) : 0);
        int wait = ready ? 0 : ms_left(deadline);
        if (n_items) {
            if (n_local) {
                kick_hook = hook;
                kick_count++;
            }
            int got = hook->poll(items, n_items, wait, n_local ? local_ready : NULL, &local);
            if (n_local)
                kick_count--;
            if (got < 0)
                goto out;
            for (int j = 0; j < n_items; j++) {
                fds[at[j]].revents = items[j].revents;
                ready += items[j].revents != 0;
            }
        } else if (wait != 0) {
            local_wait(&local, deadline);
        }
        if (ready) {
            r = ready;
            break;
        }
        if (n_local && local_revents(fds, nfds))
            continue; /* the next pass counts it */
        if (ms_left(deadline) == 0) {
            r = 0;
            break;
        }
    }
out:
    if (items != small)
        free(items);
    if (at != small_at)
        free(at);
    return r;
}

int select(int nfds, fd_set *rd, fd_set *wr, fd_set *ex, struct timeval *tv)
{
    if (nfds < 0 || nfds > FD_SETSIZE ||
        (tv && (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000))) {
        errno = EINVAL;
        return -1;
    }
    struct pollfd small[16], *p = small;
    int n = 0;
    for (int fd = 0; fd < nfds; fd++)
        n += (rd && FD_ISSET(fd, rd)) || (wr && FD_ISSET(fd, wr)) || (ex && FD_ISSET(fd, ex));
    if (n > 16 && !(p = malloc((size_t)n * sizeof(*p)))) {
        errno = ENOMEM;
        return -1;
    }
    n = 0;
    for (int fd = 0; fd < nfds; fd++) {
        short ev = (short)(((rd && FD_ISSET(fd, rd)) ? POLLIN : 0) |
                           ((wr && FD_ISSET(fd, wr)) ? POLLOUT : 0) |
                           ((ex && FD_ISSET(fd, ex)) ? POLLPRI : 0));
        if (ev)
            p[n++] = (struct pollfd){fd, ev, 0};
    }
    int timeout = -1;
    if (tv) {
        int64_t ms = (int64_t)tv->tv_sec * 1000 + (tv->tv_usec + 999) / 1000;
        timeout = ms > 0x7fffffff ? 0x7fffffff : (int)ms;
    }
    int r = poll(p, (nfds_t)n, timeout);
    if (r >= 0) {
        r = 0;
        for (int i = 0; i < n; i++) {
            if (p[i].revents & POLLNVAL) {
                errno = EBADF;
                r = -1;
                break;
            }
        }
    }
    if (r == 0) {
        if (rd)
            FD_ZERO(rd);
        if (wr)
            FD_ZERO(wr);
        if (ex)
            FD_ZERO(ex);
        for (int i = 0; i < n; i++) {
            short re = p[i].revents;
            /* Errors and hang-ups make a descriptor "ready": the next
             * read or write reports them, as on Linux. */
            if ((re & (POLLIN | POLLERR | POLLHUP)) && (p[i].events & POLLIN)) {
                FD_SET(p[i].fd, rd);
                r++;
            }
            if ((re & (POLLOUT | POLLERR)) && (p[i].events & POLLOUT)) {
                FD_SET(p[i].fd, wr);
                r++;
            }
            if ((re & POLLPRI) && (p[i].events & POLLPRI)) {
                FD_SET(p[i].fd, ex);
                r++;
            }
        }
    }
    if (p != small)
        free(p);
    return r;
}
