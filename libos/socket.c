/* Sockets as file descriptors: each socket fd holds an lwIP socket, and the
 * POSIX calls convert the apps' (Linux) structures and constants to lwIP's
 * at this boundary. An image that links any of these starts the network
 * stack before main(); one that does not carries no lwIP at all. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "sock.h"

__attribute__((constructor)) static void sockets_start(void)
{
    net_start(libos_cmdline);
}

/* Does any interface other than loopback exist? Routing errors then mean
 * "no route"; without one they mean there is no network at all. */
void sock_fix_route_errno(void)
{
    if (errno == EHOSTUNREACH && !net_has_device())
        errno = ENETDOWN;
}

/* --- The descriptor ------------------------------------------------------- */

static ssize_t sock_read(void *obj, void *buf, size_t n)
{
    return lwip_read(((struct sock *)obj)->s, buf, n);
}

static ssize_t sock_write(void *obj, const void *buf, size_t n)
{
    return lwip_write(((struct sock *)obj)->s, buf, n);
}

static int sock_close(void *obj)
{
    struct sock *k = obj;
    int r = lwip_close(k->s);
    free(k);
    return r;
}

const struct fd_ops sock_ops = {
    .read = sock_read,
    .write = sock_write,
    .close = sock_close,
    .fcntl = sock_fcntl,
    .ioctl = sock_ioctl,
    .poll = sock_poll,
    .poll_kick = sys_arch_wake_all,
};

struct sock *sock_get(int fd)
{
    const struct fd_ops *ops;
    void *obj;
    if (fd_get(fd, &ops, &obj) < 0)
        return NULL;
    if (ops != &sock_ops) {
        errno = ENOTSOCK;
        return NULL;
    }
    return obj;
}

/* Wrap lwIP socket s in a descriptor; closes s when that fails. */
static int sock_fd(int s, int nonblock)
{
    struct sock *k = malloc(sizeof(*k));
    int fd = k ? fd_alloc(&sock_ops, k) : -1;
    if (fd < 0) {
        int err = k ? errno : ENOMEM;
        free(k);
        lwip_close(s);
        errno = err;
        return -1;
    }
    *k = (struct sock){.s = s};
    if (nonblock)
        sock_ioctl(k, LX_FIONBIO, &nonblock);
    return fd;
}

/* --- The calls ------------------------------------------------------------- */

int sock_socket(int domain, int type, int protocol)
{
    int nonblock = (type & LX_SOCK_NONBLOCK) != 0;
    type &= ~(LX_SOCK_NONBLOCK | LX_SOCK_CLOEXEC);
    if (domain != LX_AF_INET && domain != LX_AF_INET6) {
        errno = EAFNOSUPPORT;
        return -1;
    }
    if (type != LX_SOCK_STREAM && type != LX_SOCK_DGRAM) {
        errno = type == LX_SOCK_RAW ? EPROTONOSUPPORT : EINVAL;
        return -1;
    }
    net_start(libos_cmdline);
    int s = lwip_socket(domain == LX_AF_INET ? AF_INET : AF_INET6,
                        type == LX_SOCK_STREAM ? SOCK_STREAM : SOCK_DGRAM, protocol);
    return s < 0 ? -1 : sock_fd(s, nonblock);
}

/* One console line per port the service opens to the network, so an
 * operator (and `make audit`) sees what an image really listens on. */
static void log_open_port(int s, const char *proto)
{
    struct sockaddr_storage a;
    socklen_t alen = sizeof(a);
    if (lwip_getsockname(s, (struct sockaddr *)&a, &alen) < 0)
        return;
    uint16_t port = a.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&a)->sin6_port
                                            : ((struct sockaddr_in *)&a)->sin_port;
    kprintf("libos: listening on %s port %u\n", proto, lwip_ntohs(port));
}

int sock_bind(int fd, const struct lx_sockaddr *addr, uint32_t len)
{
    struct sock *k = sock_get(fd);
    struct sockaddr_storage a;
    socklen_t alen;
    if (!k || sock_addr_to_lwip(addr, len, &a, &alen) < 0)
        return -1;
    if (lwip_bind(k->s, (struct sockaddr *)&a, alen) < 0)
        return -1;
    int type = 0;
    socklen_t tlen = sizeof(type);
    if (lwip_getsockopt(k->s, SOL_SOCKET, SO_TYPE, &type, &tlen) == 0 && type == SOCK_DGRAM)
        log_open_port(k->s, "udp");
    return 0;
}

int sock_listen(int fd, int backlog)
{
    struct sock *k = sock_get(fd);
    if (!k)
        return -1;
    /* lwIP keeps the backlog in a byte. */
    if (lwip_listen(k->s, backlog < 1 ? 1 : backlog > 255 ? 255 : backlog) < 0)
        return -1;
    log_open_port(k->s, "tcp");
    return 0;
}

int sock_accept4(int fd, struct lx_sockaddr *addr, uint32_t *len, int flags)
{
    struct sock *k = sock_get(fd);
    struct sockaddr_storage a;
    socklen_t alen = sizeof(a);
    if (!k)
        return -1;
    int s = lwip_accept(k->s, (struct sockaddr *)&a, &alen);
    if (s < 0)
        return -1;
    if (addr && len)
        sock_addr_from_lwip((struct sockaddr *)&a, addr, len);
    return sock_fd(s, (flags & LX_SOCK_NONBLOCK) != 0);
}

int sock_connect(int fd, const struct lx_sockaddr *addr, uint32_t len)
{
    struct sock *k = sock_get(fd);
    struct sockaddr_storage a;
    socklen_t alen;
    if (!k || sock_addr_to_lwip(addr, len, &a, &alen) < 0)
        return -1;
    if (lwip_connect(k->s, (struct sockaddr *)&a, alen) == 0)
        return 0;
    /* lwIP says "reset" for a refused handshake and "aborted" for one that
     * timed out; Linux says ECONNREFUSED and ETIMEDOUT. */
    if (errno == ECONNRESET)
        errno = ECONNREFUSED;
    else if (errno == ECONNABORTED)
        errno = ETIMEDOUT;
    else if (errno == EINPROGRESS)
        k->connecting = 1;
    sock_fix_route_errno();
    return -1;
}

int sock_shutdown(int fd, int how)
{
    struct sock *k = sock_get(fd);
    if (!k)
        return -1;
    if (how < 0 || how > 2) {
        errno = EINVAL;
        return -1;
    }
    return lwip_shutdown(k->s, how == 0 ? SHUT_RD : how == 1 ? SHUT_WR : SHUT_RDWR);
}

static int name_of(int fd, struct lx_sockaddr *addr, uint32_t *len,
                   int (*get)(int, struct sockaddr *, socklen_t *))
{
    struct sock *k = sock_get(fd);
    struct sockaddr_storage a;
    socklen_t alen = sizeof(a);
    if (!k || get(k->s, (struct sockaddr *)&a, &alen) < 0)
        return -1;
    if (!addr || !len) {
        errno = EFAULT;
        return -1;
    }
    sock_addr_from_lwip((struct sockaddr *)&a, addr, len);
    return 0;
}

int sock_getsockname(int fd, struct lx_sockaddr *addr, uint32_t *len)
{
    return name_of(fd, addr, len, lwip_getsockname);
}

int sock_getpeername(int fd, struct lx_sockaddr *addr, uint32_t *len)
{
    return name_of(fd, addr, len, lwip_getpeername);
}
