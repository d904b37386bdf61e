/* Shared by the files that implement sockets over lwIP (socket.c, sockaddr.c,
 * sockio.c, sockopt.c, sockpoll.c, resolve.c): they include lwIP's <lwip/sockets.h>
 * and see the apps' ABI through sockabi.h. Grouped by the defining file. */
#ifndef LIBOS_SOCK_H
#define LIBOS_SOCK_H

#include "internal.h"
#include "lwip/sockets.h"
#include "lwip/sys.h"
#include "sockabi.h"

/* A socket file descriptor's object. */
struct sock {
    int s;          /* lwIP's socket number */
    int nonblock;   /* O_NONBLOCK, as fcntl(F_GETFL) reports it */
    int connecting; /* a non-blocking connect() is in progress */
};

/* socket.c */
extern const struct fd_ops sock_ops;
/* The socket behind fd, or NULL + errno (EBADF, ENOTSOCK). */
struct sock *sock_get(int fd);
/* errno after a failed send or connect: with no network device, a route
 * that lwIP could not find means the network is down. */
void sock_fix_route_errno(void);

/* sockaddr.c: our address (lx, lxlen bytes) as lwIP's; 0, or -1 + errno. */
int sock_addr_to_lwip(const void *lx, uint32_t lxlen, struct sockaddr_storage *lw,
                      socklen_t *lwlen);
/* lwIP's address into the caller's buffer of *lxlen bytes, truncating as
 * POSIX says; *lxlen becomes the address's full size. */
void sock_addr_from_lwip(const struct sockaddr *lw, void *lx, uint32_t *lxlen);

/* sockpoll.c: the poll hook (see struct fd_ops) */
int sock_poll(struct poll_item *items, int n, int timeout_ms, int (*other_ready)(void *ctx),
              void *ctx);

/* sockopt.c */
int sock_fcntl(void *obj, int cmd, int arg);
int sock_ioctl(void *obj, unsigned long request, void *arg);

#endif
