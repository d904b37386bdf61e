/* poll() over sockets: the fd_ops poll hook that waits for all the sockets
 * of one poll() call with a single lwip_poll, converting the events between
 * the apps' (Linux) bits and lwIP's, and that console input can cut short. */
#include <errno.h>
#include <stdlib.h>

#include "sock.h"

int sock_poll(struct poll_item *items, int n, int timeout_ms, int (*other_ready)(void *ctx),
              void *ctx)
{
    struct pollfd small[16], *pf = small;
    if (n > 16 && !(pf = malloc((size_t)n * sizeof(*pf)))) {
        errno = ENOMEM;
        return -1;
    }
    for (int i = 0; i < n; i++) {
        short ev = items[i].events;
        pf[i].fd = ((struct sock *)items[i].obj)->s;
        pf[i].events = (short)(((ev & (LX_POLLIN | LX_POLLRDNORM)) ? POLLIN : 0) |
                               ((ev & (LX_POLLOUT | LX_POLLWRNORM)) ? POLLOUT : 0));
        pf[i].revents = 0;
    }
    struct sys_wake wake;
    if (other_ready) {
        sys_arch_wake_begin(&wake); /* armed first: a later kick cannot be missed */
        if (other_ready(ctx))
            timeout_ms = 0;
    }
    int r = lwip_poll(pf, (nfds_t)n, timeout_ms);
    if (other_ready)
        sys_arch_wake_end(&wake);
    if (r >= 0) {
        r = 0;
        for (int i = 0; i < n; i++) {
            short ev = items[i].events, got = pf[i].revents, out = 0;
            if (got & POLLIN)
                out |= ev & (LX_POLLIN | LX_POLLRDNORM);
            if (got & POLLOUT)
                out |= ev & (LX_POLLOUT | LX_POLLWRNORM);
            if (got & POLLERR)
                out |= LX_POLLERR;
            if (got & POLLNVAL)
                out |= LX_POLLNVAL;
            items[i].revents = out;
            r += out != 0;
        }
    }
    if (pf != small)
        free(pf);
    return r;
}
