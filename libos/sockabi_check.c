/* Compile-time proof that sockabi.h (the socket ABI under LX_ names, for the
 * files that also include lwIP) says what the public headers say. Holds no
 * code: a mismatch fails the build. */
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "sockabi.h"

#define SAME(a, b) _Static_assert((a) == (b), #a " == " #b)
#define SAME_FIELD(s1, f1, s2, f2)                                                                 \
    _Static_assert(offsetof(struct s1, f1) == offsetof(struct s2, f2) &&                           \
                       sizeof(((struct s1 *)0)->f1) == sizeof(((struct s2 *)0)->f2),               \
                   #s1 "." #f1)
#define SAME_SIZE(s1, s2) _Static_assert(sizeof(struct s1) == sizeof(struct s2), #s1)

SAME_SIZE(lx_sockaddr, sockaddr);
SAME_FIELD(lx_sockaddr, family, sockaddr, sa_family);
SAME_SIZE(lx_sockaddr_in, sockaddr_in);
SAME_FIELD(lx_sockaddr_in, family, sockaddr_in, sin_family);
SAME_FIELD(lx_sockaddr_in, port, sockaddr_in, sin_port);
SAME_FIELD(lx_sockaddr_in, addr, sockaddr_in, sin_addr);
SAME_SIZE(lx_sockaddr_in6, sockaddr_in6);
SAME_FIELD(lx_sockaddr_in6, family, sockaddr_in6, sin6_family);
SAME_FIELD(lx_sockaddr_in6, port, sockaddr_in6, sin6_port);
SAME_FIELD(lx_sockaddr_in6, flowinfo, sockaddr_in6, sin6_flowinfo);
SAME_FIELD(lx_sockaddr_in6, addr, sockaddr_in6, sin6_addr);
SAME_FIELD(lx_sockaddr_in6, scope_id, sockaddr_in6, sin6_scope_id);
SAME(LX_SOCKADDR_STORAGE_SIZE, sizeof(struct sockaddr_storage));
SAME_SIZE(lx_iovec, iovec);
SAME_FIELD(lx_iovec, base, iovec, iov_base);
SAME_FIELD(lx_iovec, len, iovec, iov_len);
SAME_SIZE(lx_msghdr, msghdr);
SAME_FIELD(lx_msghdr, name, msghdr, msg_name);
SAME_FIELD(lx_msghdr, namelen, msghdr, msg_namelen);
SAME_FIELD(lx_msghdr, iov, msghdr, msg_iov);
SAME_FIELD(lx_msghdr, iovlen, msghdr, msg_iovlen);
SAME_FIELD(lx_msghdr, control, msghdr, msg_control);
SAME_FIELD(lx_msghdr, controllen, msghdr, msg_controllen);
SAME_FIELD(lx_msghdr, flags, msghdr, msg_flags);
SAME_SIZE(lx_cmsghdr, cmsghdr);
SAME_FIELD(lx_cmsghdr, len, cmsghdr, cmsg_len);
SAME_FIELD(lx_cmsghdr, level, cmsghdr, cmsg_level);
SAME_FIELD(lx_cmsghdr, type, cmsghdr, cmsg_type);
SAME(LX_CMSG_ALIGN(13), CMSG_ALIGN(13));
SAME_SIZE(lx_in_pktinfo, in_pktinfo);
SAME_FIELD(lx_in_pktinfo, ifindex, in_pktinfo, ipi_ifindex);
SAME_FIELD(lx_in_pktinfo, spec_dst, in_pktinfo, ipi_spec_dst);
SAME_FIELD(lx_in_pktinfo, addr, in_pktinfo, ipi_addr);
SAME_SIZE(lx_linger, linger);
SAME_FIELD(lx_linger, onoff, linger, l_onoff);
SAME_FIELD(lx_linger, linger, linger, l_linger);

SAME(LX_AF_UNSPEC, AF_UNSPEC);
SAME(LX_AF_INET, AF_INET);
SAME(LX_AF_INET6, AF_INET6);
SAME(LX_SOCK_STREAM, SOCK_STREAM);
SAME(LX_SOCK_DGRAM, SOCK_DGRAM);
SAME(LX_SOCK_RAW, SOCK_RAW);
SAME(LX_SOCK_NONBLOCK, SOCK_NONBLOCK);
SAME(LX_SOCK_CLOEXEC, SOCK_CLOEXEC);
SAME(LX_SOL_SOCKET, SOL_SOCKET);
SAME(LX_SO_REUSEADDR, SO_REUSEADDR);
SAME(LX_SO_TYPE, SO_TYPE);
SAME(LX_SO_ERROR, SO_ERROR);
SAME(LX_SO_BROADCAST, SO_BROADCAST);
SAME(LX_SO_SNDBUF, SO_SNDBUF);
SAME(LX_SO_RCVBUF, SO_RCVBUF);
SAME(LX_SO_KEEPALIVE, SO_KEEPALIVE);
SAME(LX_SO_NO_CHECK, SO_NO_CHECK);
SAME(LX_SO_LINGER, SO_LINGER);
SAME(LX_SO_REUSEPORT, SO_REUSEPORT);
SAME(LX_SO_RCVTIMEO, SO_RCVTIMEO);
SAME(LX_SO_SNDTIMEO, SO_SNDTIMEO);
SAME(LX_SO_BINDTODEVICE, SO_BINDTODEVICE);
SAME(LX_SO_ACCEPTCONN, SO_ACCEPTCONN);
SAME(LX_IPPROTO_IP, IPPROTO_IP);
SAME(LX_IPPROTO_TCP, IPPROTO_TCP);
SAME(LX_IPPROTO_UDP, IPPROTO_UDP);
SAME(LX_IPPROTO_IPV6, IPPROTO_IPV6);
SAME(LX_IP_TOS, IP_TOS);
SAME(LX_IP_TTL, IP_TTL);
SAME(LX_IP_PKTINFO, IP_PKTINFO);
SAME(LX_IP_MULTICAST_IF, IP_MULTICAST_IF);
SAME(LX_IP_MULTICAST_TTL, IP_MULTICAST_TTL);
SAME(LX_IP_MULTICAST_LOOP, IP_MULTICAST_LOOP);
SAME(LX_IP_ADD_MEMBERSHIP, IP_ADD_MEMBERSHIP);
SAME(LX_IP_DROP_MEMBERSHIP, IP_DROP_MEMBERSHIP);
SAME(LX_IPV6_CHECKSUM, IPV6_CHECKSUM);
SAME(LX_IPV6_JOIN_GROUP, IPV6_JOIN_GROUP);
SAME(LX_IPV6_LEAVE_GROUP, IPV6_LEAVE_GROUP);
SAME(LX_IPV6_V6ONLY, IPV6_V6ONLY);
SAME(LX_TCP_NODELAY, TCP_NODELAY);
SAME(LX_TCP_KEEPIDLE, TCP_KEEPIDLE);
SAME(LX_TCP_KEEPINTVL, TCP_KEEPINTVL);
SAME(LX_TCP_KEEPCNT, TCP_KEEPCNT);
SAME(LX_MSG_OOB, MSG_OOB);
SAME(LX_MSG_PEEK, MSG_PEEK);
SAME(LX_MSG_CTRUNC, MSG_CTRUNC);
SAME(LX_MSG_TRUNC, MSG_TRUNC);
SAME(LX_MSG_DONTWAIT, MSG_DONTWAIT);
SAME(LX_MSG_WAITALL, MSG_WAITALL);
SAME(LX_MSG_NOSIGNAL, MSG_NOSIGNAL);
SAME(LX_MSG_MORE, MSG_MORE);
SAME(LX_POLLIN, POLLIN);
SAME(LX_POLLPRI, POLLPRI);
SAME(LX_POLLOUT, POLLOUT);
SAME(LX_POLLERR, POLLERR);
SAME(LX_POLLHUP, POLLHUP);
SAME(LX_POLLNVAL, POLLNVAL);
SAME(LX_POLLRDNORM, POLLRDNORM);
SAME(LX_POLLWRNORM, POLLWRNORM);
SAME(LX_FIONREAD, FIONREAD);
SAME(LX_FIONBIO, FIONBIO);
SAME(LX_F_GETFL, F_GETFL);
SAME(LX_F_SETFL, F_SETFL);
SAME(LX_O_RDWR, O_RDWR);
SAME(LX_O_NONBLOCK, O_NONBLOCK);
SAME(LX_EAI_NONAME, EAI_NONAME);
SAME(LX_EAI_AGAIN, EAI_AGAIN);
SAME(LX_EAI_FAIL, EAI_FAIL);
