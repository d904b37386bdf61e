/* The public socket calls (<sys/socket.h>) under their own names and
 * prototypes, forwarding to the implementations in socket.c, sockio.c and
 * sockopt.c, which cannot include the public headers (they include lwIP's,
 * whose names clash). This is the one file that sees both declarations of
 * each call: if a public prototype and its implementation drift apart, it
 * does not compile. sockabi_check.c proves the structures the casts below
 * rely on have the same layout. */
#include <errno.h>
#include <sys/socket.h>

#include "sockabi.h"

int socket(int domain, int type, int protocol)
{
    return sock_socket(domain, type, protocol);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
    return sock_bind(fd, (const struct lx_sockaddr *)addr, len);
}

int listen(int fd, int backlog)
{
    return sock_listen(fd, backlog);
}

int accept(int fd, struct sockaddr *restrict addr, socklen_t *restrict len)
{
    return sock_accept4(fd, (struct lx_sockaddr *)addr, len, 0);
}

int accept4(int fd, struct sockaddr *restrict addr, socklen_t *restrict len, int flags)
{
    return sock_accept4(fd, (struct lx_sockaddr *)addr, len, flags);
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    return sock_connect(fd, (const struct lx_sockaddr *)addr, len);
}

int shutdown(int fd, int how)
{
    return sock_shutdown(fd, how);
}

int getsockname(int fd, struct sockaddr *restrict addr, socklen_t *restrict len)
{
    return sock_getsockname(fd, (struct lx_sockaddr *)addr, len);
}

int getpeername(int fd, struct sockaddr *restrict addr, socklen_t *restrict len)
{
    return sock_getpeername(fd, (struct lx_sockaddr *)addr, len);
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
    return sock_setsockopt(fd, level, name, val, len);
}

int getsockopt(int fd, int level, int name, void *restrict val, socklen_t *restrict len)
{
    return sock_getsockopt(fd, level, name, val, len);
}

ssize_t send(int fd, const void *buf, size_t n, int flags)
{
    return sock_sendto(fd, buf, n, flags, NULL, 0);
}

ssize_t recv(int fd, void *buf, size_t n, int flags)
{
    return sock_recvfrom(fd, buf, n, flags, NULL, NULL);
}

ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *to,
               socklen_t tolen)
{
    return sock_sendto(fd, buf, n, flags, (const struct lx_sockaddr *)to, tolen);
}

ssize_t recvfrom(int fd, void *restrict buf, size_t n, int flags, struct sockaddr *restrict from,
                 socklen_t *restrict fromlen)
{
    return sock_recvfrom(fd, buf, n, flags, (struct lx_sockaddr *)from, fromlen);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
    return sock_sendmsg(fd, (const struct lx_msghdr *)msg, flags);
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
    return sock_recvmsg(fd, (struct lx_msghdr *)msg, flags);
}

int socketpair(int domain, int type, int protocol, int sv[2])
{
    (void)domain, (void)type, (void)protocol, (void)sv;
    errno = EAFNOSUPPORT; /* no AF_UNIX */
    return -1;
}
