/* Waiting for several file descriptors (POSIX <poll.h>), Linux's values.
 * Works on sockets and the console (stdin is readable when a byte has
 * arrived; the console is always writable). */
#ifndef LIBOS_POLL_H
#define LIBOS_POLL_H

struct pollfd {
    int fd;
    short events;
    short revents;
};

typedef unsigned long nfds_t;

#define POLLIN 0x001
#define POLLPRI 0x002
#define POLLOUT 0x004
#define POLLERR 0x008
#define POLLHUP 0x010
#define POLLNVAL 0x020
#define POLLRDNORM 0x040
#define POLLRDBAND 0x080
#define POLLWRNORM 0x100
#define POLLWRBAND 0x200

/* timeout in milliseconds; -1 waits for ever. Returns the number of fds
 * with events, 0 on timeout, -1 + errno (EINVAL, ENOMEM). */
int poll(struct pollfd *fds, nfds_t nfds, int timeout);

#endif
