/* Socket options and descriptor flags: setsockopt/getsockopt translate the
 * apps' (Linux) levels and names to lwIP's, and fcntl/ioctl on a socket
 * reach lwIP's non-blocking flag and FIONREAD. */
#include <errno.h>
#include <string.h>

#include "sock.h"

enum kind {
    K_PASS, /* same type both sides: int, struct timeval, struct linger, ... */
    K_U8,   /* lwIP wants a byte where Linux takes an int or a byte */
};

static const struct opt {
    int lx_level, lx_name;
    int level, name;
    enum kind kind;
} opts[] = {
    {LX_SOL_SOCKET, LX_SO_REUSEADDR, SOL_SOCKET, SO_REUSEADDR, K_PASS},
    /* lwIP's SO_REUSEADDR already lets several sockets share a port. */
    {LX_SOL_SOCKET, LX_SO_REUSEPORT, SOL_SOCKET, SO_REUSEADDR, K_PASS},
    {LX_SOL_SOCKET, LX_SO_TYPE, SOL_SOCKET, SO_TYPE, K_PASS},
    {LX_SOL_SOCKET, LX_SO_ERROR, SOL_SOCKET, SO_ERROR, K_PASS},
    {LX_SOL_SOCKET, LX_SO_BROADCAST, SOL_SOCKET, SO_BROADCAST, K_PASS},
    {LX_SOL_SOCKET, LX_SO_RCVBUF, SOL_SOCKET, SO_RCVBUF, K_PASS},
    {LX_SOL_SOCKET, LX_SO_KEEPALIVE, SOL_SOCKET, SO_KEEPALIVE, K_PASS},
    {LX_SOL_SOCKET, LX_SO_NO_CHECK, SOL_SOCKET, SO_NO_CHECK, K_PASS},
    {LX_SOL_SOCKET, LX_SO_LINGER, SOL_SOCKET, SO_LINGER, K_PASS},
    {LX_SOL_SOCKET, LX_SO_RCVTIMEO, SOL_SOCKET, SO_RCVTIMEO, K_PASS},
    {LX_SOL_SOCKET, LX_SO_SNDTIMEO, SOL_SOCKET, SO_SNDTIMEO, K_PASS},
    {LX_SOL_SOCKET, LX_SO_ACCEPTCONN, SOL_SOCKET, SO_ACCEPTCONN, K_PASS},
    {LX_IPPROTO_IP, LX_IP_TOS, IPPROTO_IP, IP_TOS, K_PASS},
    {LX_IPPROTO_IP, LX_IP_TTL, IPPROTO_IP, IP_TTL, K_PASS},
    {LX_IPPROTO_IP, LX_IP_PKTINFO, IPPROTO_IP, IP_PKTINFO, K_PASS},
    {LX_IPPROTO_IP, LX_IP_MULTICAST_IF, IPPROTO_IP, IP_MULTICAST_IF, K_PASS},
    {LX_IPPROTO_IP, LX_IP_MULTICAST_TTL, IPPROTO_IP, IP_MULTICAST_TTL, K_U8},
    {LX_IPPROTO_IP, LX_IP_MULTICAST_LOOP, IPPROTO_IP, IP_MULTICAST_LOOP, K_U8},
    {LX_IPPROTO_IP, LX_IP_ADD_MEMBERSHIP, IPPROTO_IP, IP_ADD_MEMBERSHIP, K_PASS},
    {LX_IPPROTO_IP, LX_IP_DROP_MEMBERSHIP, IPPROTO_IP, IP_DROP_MEMBERSHIP, K_PASS},
    {LX_IPPROTO_TCP, LX_TCP_NODELAY, IPPROTO_TCP, TCP_NODELAY, K_PASS},
    {LX_IPPROTO_TCP, LX_TCP_KEEPIDLE, IPPROTO_TCP, TCP_KEEPIDLE, K_PASS},
    {LX_IPPROTO_TCP, LX_TCP_KEEPINTVL, IPPROTO_TCP, TCP_KEEPINTVL, K_PASS},
    {LX_IPPROTO_TCP, LX_TCP_KEEPCNT, IPPROTO_TCP, TCP_KEEPCNT, K_PASS},
    {LX_IPPROTO_IPV6, LX_IPV6_V6ONLY, IPPROTO_IPV6, IPV6_V6ONLY, K_PASS},
    {LX_IPPROTO_IPV6, LX_IPV6_CHECKSUM, IPPROTO_IPV6, IPV6_CHECKSUM, K_PASS},
    {LX_IPPROTO_IPV6, LX_IPV6_JOIN_GROUP, IPPROTO_IPV6, IPV6_JOIN_GROUP, K_PASS},
    {LX_IPPROTO_IPV6, LX_IPV6_LEAVE_GROUP, IPPROTO_IPV6, IPV6_LEAVE_GROUP, K_PASS},
};

_Static_assert(sizeof(struct linger) == sizeof(struct lx_linger), "SO_LINGER passes through");

static const struct opt *find(int level, int name)
{
    for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
        if (opts[i].lx_level == level && opts[i].lx_name == name)
            return &opts[i];
    errno = ENOPROTOOPT;
    return NULL;
}

/* The send buffer has a fixed size (TCP_SND_BUF): setting it is accepted,
 * and reading it tells the truth. */
static int is_sndbuf(int level, int name)
{
    return level == LX_SOL_SOCKET && name == LX_SO_SNDBUF;
}

int sock_setsockopt(int fd, int level, int name, const void *val, uint32_t len)
{
    struct sock *k = sock_get(fd);
    if (!k)
        return -1;
    if (is_sndbuf(level, name))
        return 0;
    const struct opt *o = find(level, name);
    if (!o)
        return -1;
    if (o->kind == K_U8 && len >= sizeof(int)) {
        u8_t b = (u8_t) * (const int *)val;
        return lwip_setsockopt(k->s, o->level, o->name, &b, sizeof(b));
    }
    return lwip_setsockopt(k->s, o->level, o->name, val, len);
}

int sock_getsockopt(int fd, int level, int name, void *val, uint32_t *len)
{
    struct sock *k = sock_get(fd);
    if (!k)
        return -1;
    if (!val || !len) {
        errno = EFAULT;
        return -1;
    }
    if (is_sndbuf(level, name) && *len >= sizeof(int)) {
        *(int *)val = TCP_SND_BUF;
        *len = sizeof(int);
        return 0;
    }
    const struct opt *o = find(level, name);
    if (!o)
        return -1;
    if (o->kind == K_U8 && *len >= sizeof(int)) {
        u8_t b = 0;
        socklen_t blen = sizeof(b);
        if (lwip_getsockopt(k->s, o->level, o->name, &b, &blen) < 0)
            return -1;
        *(int *)val = b;
        *len = sizeof(int);
        return 0;
    }
    socklen_t l = *len;
    if (lwip_getsockopt(k->s, o->level, o->name, val, &l) < 0)
        return -1;
    *len = l;
    if (o->name == SO_ERROR && o->level == SOL_SOCKET && l >= sizeof(int)) {
        int *err = val;
        if (*err == ECONNRESET && k->connecting)
            *err = ECONNREFUSED; /* as connect() says for a refused handshake */
        else if (*err == ECONNABORTED && k->connecting)
            *err = ETIMEDOUT;
        k->connecting = 0; /* the answer is in: later errors are not the handshake's */
    }
    if (o->name == SO_TYPE && o->level == SOL_SOCKET && l >= sizeof(int))
        *(int *)val = *(int *)val == SOCK_STREAM ? LX_SOCK_STREAM : LX_SOCK_DGRAM;
    return 0;
}

int sock_ioctl(void *obj, unsigned long request, void *arg)
{
    struct sock *k = obj;
    if (request == LX_FIONBIO) {
        int on = arg && *(int *)arg;
        k->nonblock = on;
        return lwip_ioctl(k->s, FIONBIO, &on);
    }
    if (request == LX_FIONREAD)
        return lwip_ioctl(k->s, FIONREAD, arg);
    errno = ENOTTY;
    return -1;
}

int sock_fcntl(void *obj, int cmd, int arg)
{
    struct sock *k = obj;
    if (cmd == LX_F_GETFL)
        return LX_O_RDWR | (k->nonblock ? LX_O_NONBLOCK : 0);
    if (cmd == LX_F_SETFL) {
        int on = (arg & LX_O_NONBLOCK) != 0;
        return sock_ioctl(k, LX_FIONBIO, &on);
    }
    errno = EINVAL;
    return -1;
}
