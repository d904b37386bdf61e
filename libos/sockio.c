/* Sending and receiving on sockets: send, recv, sendto, recvfrom, sendmsg,
 * recvmsg, converting flags, addresses and control messages between the
 * apps' (Linux) ABI and lwIP's. */
#include <errno.h>
#include <string.h>

#include "sock.h"

_Static_assert(sizeof(struct iovec) == sizeof(struct lx_iovec) &&
                   offsetof(struct iovec, iov_base) == offsetof(struct lx_iovec, base) &&
                   offsetof(struct iovec, iov_len) == offsetof(struct lx_iovec, len),
               "lwIP's struct iovec is ours: iovec arrays pass through");

/* Our MSG_* flags as lwIP's. MSG_NOSIGNAL means nothing here (there are no
 * signals); MSG_WAITALL is done by looping in recvfrom, on stream sockets
 * only. */
static int flags_to_lwip(int lx)
{
    if (lx & LX_MSG_OOB) {
        errno = EOPNOTSUPP;
        return -1;
    }
    return ((lx & LX_MSG_PEEK) ? MSG_PEEK : 0) | ((lx & LX_MSG_DONTWAIT) ? MSG_DONTWAIT : 0) |
           ((lx & LX_MSG_MORE) ? MSG_MORE : 0);
}

static int flags_from_lwip(int lw)
{
    return ((lw & MSG_TRUNC) ? LX_MSG_TRUNC : 0) | ((lw & MSG_CTRUNC) ? LX_MSG_CTRUNC : 0);
}

ssize_t sock_sendto(int fd, const void *buf, size_t n, int flags, const struct lx_sockaddr *to,
                    uint32_t tolen)
{
    struct sock *k = sock_get(fd);
    struct sockaddr_storage a;
    socklen_t alen = 0;
    int f = flags_to_lwip(flags);
    if (!k || f < 0 || (to && sock_addr_to_lwip(to, tolen, &a, &alen) < 0))
        return -1;
    ssize_t r = lwip_sendto(k->s, buf, n, f, to ? (struct sockaddr *)&a : NULL, alen);
    if (r < 0)
        sock_fix_route_errno();
    return r;
}

static int is_stream(const struct sock *k)
{
    int type = 0;
    socklen_t len = sizeof(type);
    return lwip_getsockopt(k->s, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_STREAM;
}

ssize_t sock_recvfrom(int fd, void *buf, size_t n, int flags, struct lx_sockaddr *from,
                      uint32_t *fromlen)
{
    struct sock *k = sock_get(fd);
    int f = flags_to_lwip(flags);
    if (!k || f < 0)
        return -1;
    struct sockaddr_storage a;
    socklen_t alen = sizeof(a);
    ssize_t r = lwip_recvfrom(k->s, buf, n, f, (struct sockaddr *)&a, &alen);
    if (r > 0 && (size_t)r < n && (flags & LX_MSG_WAITALL) && !(f & MSG_PEEK) && is_stream(k)) {
        /* A datagram socket returns one datagram per call, whatever the
         * flags: looping there would join datagrams from any senders. */
        size_t got = (size_t)r;
        while (got < n) {
            ssize_t more = lwip_recv(k->s, (char *)buf + got, n - got, f);
            if (more <= 0)
                break;
            got += (size_t)more;
        }
        r = (ssize_t)got;
    }
    if (r >= 0 && from && fromlen)
        sock_addr_from_lwip((struct sockaddr *)&a, from, fromlen);
    return r;
}

ssize_t sock_sendmsg(int fd, const struct lx_msghdr *msg, int flags)
{
    struct sock *k = sock_get(fd);
    struct sockaddr_storage a;
    socklen_t alen = 0;
    int f = flags_to_lwip(flags);
    if (!k || f < 0)
        return -1;
    if (msg->name && sock_addr_to_lwip(msg->name, msg->namelen, &a, &alen) < 0)
        return -1;
    if (msg->iovlen > IOV_MAX) {
        errno = EMSGSIZE;
        return -1;
    }
    struct msghdr m = {
        .msg_name = msg->name ? &a : NULL,
        .msg_namelen = alen,
        .msg_iov = (struct iovec *)msg->iov,
        .msg_iovlen = (int)msg->iovlen,
    };
    ssize_t r = lwip_sendmsg(k->s, &m, f & (MSG_DONTWAIT | MSG_MORE));
    if (r < 0)
        sock_fix_route_errno();
    return r;
}

/* lwIP's IP_PKTINFO control message (the only one it writes) as ours. */
static void control_from_lwip(struct msghdr *lw, struct lx_msghdr *msg)
{
    size_t room = msg->controllen, used = 0;
    struct cmsghdr *c = CMSG_FIRSTHDR(lw);
    if (c && c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
        const struct in_pktinfo *pi = (const struct in_pktinfo *)CMSG_DATA(c);
        struct lx_in_pktinfo out = {.ifindex = (int)pi->ipi_ifindex,
                                    .spec_dst = pi->ipi_addr.s_addr,
                                    .addr = pi->ipi_addr.s_addr};
        struct lx_cmsghdr h = {.len = LX_CMSG_ALIGN(sizeof(h)) + sizeof(out),
                               .level = LX_IPPROTO_IP,
                               .type = LX_IP_PKTINFO};
        size_t space = LX_CMSG_ALIGN(sizeof(h)) + LX_CMSG_ALIGN(sizeof(out));
        if (room >= space) {
            memset(msg->control, 0, space);
            memcpy(msg->control, &h, sizeof(h));
            memcpy((char *)msg->control + LX_CMSG_ALIGN(sizeof(h)), &out, sizeof(out));
            used = space;
        } else {
            msg->flags |= LX_MSG_CTRUNC;
        }
    }
    msg->controllen = used;
}

ssize_t sock_recvmsg(int fd, struct lx_msghdr *msg, int flags)
{
    struct sock *k = sock_get(fd);
    int f = flags_to_lwip(flags);
    if (!k || f < 0)
        return -1;
    if (msg->iovlen > IOV_MAX) {
        errno = EMSGSIZE;
        return -1;
    }
    struct sockaddr_storage a = {0}; /* stays AF_UNSPEC for TCP: no name */
    long control[CMSG_SPACE(sizeof(struct in_pktinfo)) / sizeof(long) + 1];
    struct msghdr m = {
        .msg_name = &a,
        .msg_namelen = sizeof(a),
        .msg_iov = (struct iovec *)msg->iov,
        .msg_iovlen = (int)msg->iovlen,
        .msg_control = msg->control ? control : NULL,
        .msg_controllen = msg->control ? sizeof(control) : 0,
    };
    ssize_t r = lwip_recvmsg(k->s, &m, f & (MSG_PEEK | MSG_DONTWAIT));
    if (r < 0)
        return r;
    msg->flags = flags_from_lwip(m.msg_flags);
    if (msg->name && a.ss_family != AF_UNSPEC)
        sock_addr_from_lwip((struct sockaddr *)&a, msg->name, &msg->namelen);
    else
        msg->namelen = 0;
    if (msg->control)
        control_from_lwip(&m, msg);
    return r;
}
