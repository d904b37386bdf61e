/* The apps' socket ABI (libos/include: Linux layouts and values) as seen by
 * the files that call lwIP. Those files include lwIP's <lwip/sockets.h>,
 * whose struct sockaddr, SOL_SOCKET, MSG_* ... differ and would clash with
 * ours, so they see our ABI under LX_ names. sockabi_check.c proves each
 * name equal to its public counterpart at compile time. */
#ifndef LIBOS_SOCKABI_H
#define LIBOS_SOCKABI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct lx_sockaddr {
    uint16_t family;
    char data[14];
};

struct lx_sockaddr_in {
    uint16_t family;
    uint16_t port;
    uint32_t addr;
    uint8_t zero[8];
};

struct lx_sockaddr_in6 {
    uint16_t family;
    uint16_t port;
    uint32_t flowinfo;
    uint8_t addr[16];
    uint32_t scope_id;
};

#define LX_SOCKADDR_STORAGE_SIZE 128

struct lx_iovec {
    void *base;
    size_t len;
};

struct lx_msghdr {
    void *name;
    uint32_t namelen;
    struct lx_iovec *iov;
    size_t iovlen;
    void *control;
    size_t controllen;
    int flags;
};

struct lx_cmsghdr {
    size_t len;
    int level;
    int type;
};
#define LX_CMSG_ALIGN(len) (((len) + sizeof(size_t) - 1) & ~(sizeof(size_t) - 1))

struct lx_in_pktinfo {
    int ifindex;
    uint32_t spec_dst;
    uint32_t addr;
};

struct lx_linger {
    int onoff;
    int linger;
};

#define LX_AF_UNSPEC 0
#define LX_AF_INET 2
#define LX_AF_INET6 10
#define LX_SOCK_STREAM 1
#define LX_SOCK_DGRAM 2
#define LX_SOCK_RAW 3
#define LX_SOCK_NONBLOCK 04000
#define LX_SOCK_CLOEXEC 02000000

#define LX_SOL_SOCKET 1
#define LX_SO_REUSEADDR 2
#define LX_SO_TYPE 3
#define LX_SO_ERROR 4
#define LX_SO_BROADCAST 6
#define LX_SO_SNDBUF 7
#define LX_SO_RCVBUF 8
#define LX_SO_KEEPALIVE 9
#define LX_SO_NO_CHECK 11
#define LX_SO_LINGER 13
#define LX_SO_REUSEPORT 15
#define LX_SO_RCVTIMEO 20
#define LX_SO_SNDTIMEO 21
#define LX_SO_BINDTODEVICE 25
#define LX_SO_ACCEPTCONN 30

#define LX_IPPROTO_IP 0
#define LX_IPPROTO_TCP 6
#define LX_IPPROTO_UDP 17
#define LX_IPPROTO_IPV6 41
#define LX_IP_TOS 1
#define LX_IP_TTL 2
#define LX_IP_PKTINFO 8
#define LX_IP_MULTICAST_IF 32
#define LX_IP_MULTICAST_TTL 33
#define LX_IP_MULTICAST_LOOP 34
#define LX_IP_ADD_MEMBERSHIP 35
#define LX_IP_DROP_MEMBERSHIP 36
#define LX_IPV6_CHECKSUM 7
#define LX_IPV6_JOIN_GROUP 20
#define LX_IPV6_LEAVE_GROUP 21
#define LX_IPV6_V6ONLY 26
#define LX_TCP_NODELAY 1
#define LX_TCP_KEEPIDLE 4
#define LX_TCP_KEEPINTVL 5
#define LX_TCP_KEEPCNT 6

#define LX_MSG_OOB 0x1
#define LX_MSG_PEEK 0x2
#define LX_MSG_CTRUNC 0x8
#define LX_MSG_TRUNC 0x20
#define LX_MSG_DONTWAIT 0x40
#define LX_MSG_WAITALL 0x100
#define LX_MSG_NOSIGNAL 0x4000
#define LX_MSG_MORE 0x8000

#define LX_POLLIN 0x001
#define LX_POLLPRI 0x002
#define LX_POLLOUT 0x004
#define LX_POLLERR 0x008
#define LX_POLLHUP 0x010
#define LX_POLLNVAL 0x020
#define LX_POLLRDNORM 0x040
#define LX_POLLWRNORM 0x100

#define LX_EAI_NONAME (-2)
#define LX_EAI_AGAIN (-3)
#define LX_EAI_FAIL (-4)

#define LX_FIONREAD 0x541b
#define LX_FIONBIO 0x5421
#define LX_F_GETFL 3 /* newlib's <fcntl.h> */
#define LX_F_SETFL 4
#define LX_O_RDWR 2
#define LX_O_NONBLOCK 0x4000

/* The socket calls behind <sys/socket.h>, in the LX_ types above.
 * sockapi.c gives each its public name and prototype, so the compiler
 * checks both sides: the public declarations there, these here. */
/* socket.c */
int sock_socket(int domain, int type, int protocol);
int sock_bind(int fd, const struct lx_sockaddr *addr, uint32_t len);
int sock_listen(int fd, int backlog);
int sock_accept4(int fd, struct lx_sockaddr *addr, uint32_t *len, int flags);
int sock_connect(int fd, const struct lx_sockaddr *addr, uint32_t len);
int sock_shutdown(int fd, int how);
int sock_getsockname(int fd, struct lx_sockaddr *addr, uint32_t *len);
int sock_getpeername(int fd, struct lx_sockaddr *addr, uint32_t *len);
/* sockio.c */
ssize_t sock_sendto(int fd, const void *buf, size_t n, int flags, const struct lx_sockaddr *to,
                    uint32_t tolen);
ssize_t sock_recvfrom(int fd, void *buf, size_t n, int flags, struct lx_sockaddr *from,
                      uint32_t *fromlen);
ssize_t sock_sendmsg(int fd, const struct lx_msghdr *msg, int flags);
ssize_t sock_recvmsg(int fd, struct lx_msghdr *msg, int flags);
/* sockopt.c */
int sock_setsockopt(int fd, int level, int name, const void *val, uint32_t len);
int sock_getsockopt(int fd, int level, int name, void *val, uint32_t *len);

#endif
