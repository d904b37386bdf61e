/* Socket addresses across the lwIP boundary: the apps' (Linux) sockaddr_in
 * and sockaddr_in6 to lwIP's BSD-style ones with sin_len, and back. Pure
 * functions, unit-tested on the host (tests/unit/test_sockaddr.c). */
#include <errno.h>
#include <string.h>

#include "sock.h"

int sock_addr_to_lwip(const void *lx, uint32_t lxlen, struct sockaddr_storage *lw, socklen_t *lwlen)
{
    uint16_t family;
    if (!lx) {
        errno = EFAULT;
        return -1;
    }
    if (lxlen < sizeof(family)) {
        errno = EINVAL;
        return -1;
    }
    memcpy(&family, lx, sizeof(family));
    memset(lw, 0, sizeof(*lw));
    if (family == LX_AF_INET) {
        const struct lx_sockaddr_in *a = lx;
        struct sockaddr_in *b = (struct sockaddr_in *)lw;
        if (lxlen < sizeof(*a))
            goto einval;
        b->sin_len = sizeof(*b);
        b->sin_family = AF_INET;
        b->sin_port = a->port;
        b->sin_addr.s_addr = a->addr;
        *lwlen = sizeof(*b);
    } else if (family == LX_AF_INET6) {
        const struct lx_sockaddr_in6 *a = lx;
        struct sockaddr_in6 *b = (struct sockaddr_in6 *)lw;
        if (lxlen < sizeof(*a))
            goto einval;
        b->sin6_len = sizeof(*b);
        b->sin6_family = AF_INET6;
        b->sin6_port = a->port;
        b->sin6_flowinfo = a->flowinfo;
        memcpy(&b->sin6_addr, a->addr, sizeof(a->addr));
        b->sin6_scope_id = a->scope_id;
        *lwlen = sizeof(*b);
    } else if (family == LX_AF_UNSPEC) { /* connect(): dissolve a UDP association */
        lw->s2_len = sizeof(struct sockaddr);
        lw->ss_family = AF_UNSPEC;
        *lwlen = sizeof(struct sockaddr);
    } else {
        errno = EAFNOSUPPORT;
        return -1;
    }
    return 0;
einval:
    errno = EINVAL;
    return -1;
}

void sock_addr_from_lwip(const struct sockaddr *lw, void *lx, uint32_t *lxlen)
{
    unsigned char out[LX_SOCKADDR_STORAGE_SIZE] = {0};
    uint32_t n = sizeof(struct lx_sockaddr);
    if (lw->sa_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)lw;
        struct lx_sockaddr_in b = {
            .family = LX_AF_INET, .port = a->sin_port, .addr = a->sin_addr.s_addr};
        memcpy(out, &b, n = sizeof(b));
    } else if (lw->sa_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)lw;
        struct lx_sockaddr_in6 b = {.family = LX_AF_INET6,
                                    .port = a->sin6_port,
                                    .flowinfo = a->sin6_flowinfo,
                                    .scope_id = a->sin6_scope_id};
        memcpy(b.addr, &a->sin6_addr, sizeof(b.addr));
        memcpy(out, &b, n = sizeof(b));
    }
    if (lx && lxlen)
        memcpy(lx, out, *lxlen < n ? *lxlen : n);
    if (lxlen)
        *lxlen = n;
}
