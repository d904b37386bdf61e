/* Unit tests for libos/sockopt.c: the table that turns the apps' (Linux)
 * socket options into lwIP's, the byte-sized options, the ones answered
 * without lwIP, and fcntl/ioctl on a socket. lwIP's calls and the
 * descriptor lookup are fakes that record what they were given. */
#include <errno.h>
#include <string.h>

#include "sock.h"
#include "suites.h"

#define FD 5 /* the one descriptor the fake table holds */

static struct sock the_sock;
static struct {
    int calls, s, level, name;
    unsigned char val[16];
    socklen_t len;
    long ioctl_cmd;
    int ioctl_arg;
} lw;
static int get_value; /* what the fake lwip_getsockopt reads back */

struct sock *sock_get(int fd)
{
    if (fd != FD) {
        errno = EBADF;
        return NULL;
    }
    return &the_sock;
}

int lwip_setsockopt(int s, int level, int optname, const void *optval, socklen_t optlen)
{
    lw.calls++;
    lw.s = s, lw.level = level, lw.name = optname, lw.len = optlen;
    memcpy(lw.val, optval, optlen < sizeof(lw.val) ? optlen : sizeof(lw.val));
    return 0;
}

int lwip_getsockopt(int s, int level, int optname, void *optval, socklen_t *optlen)
{
    lw.calls++;
    lw.s = s, lw.level = level, lw.name = optname, lw.len = *optlen;
    if (*optlen == 1) {
        *(u8_t *)optval = (u8_t)get_value;
    } else {
        memcpy(optval, &get_value, sizeof(int));
        *optlen = sizeof(int);
    }
    return 0;
}

int lwip_ioctl(int s, long cmd, void *argp)
{
    lw.calls++;
    lw.s = s, lw.ioctl_cmd = cmd;
    lw.ioctl_arg = argp ? *(int *)argp : -1;
    return 0;
}

static void setup(void)
{
    the_sock = (struct sock){.s = 42};
    memset(&lw, 0, sizeof(lw));
    get_value = 0;
}

/* Every option of the table reaches lwIP under lwIP's level and name. */
START_TEST(table_maps_each_option)
{
    static const struct {
        int lx_level, lx_name, level, name;
    } want[] = {
        {LX_SOL_SOCKET, LX_SO_REUSEADDR, SOL_SOCKET, SO_REUSEADDR},
        {LX_SOL_SOCKET, LX_SO_REUSEPORT, SOL_SOCKET, SO_REUSEADDR},
        {LX_SOL_SOCKET, LX_SO_TYPE, SOL_SOCKET, SO_TYPE},
        {LX_SOL_SOCKET, LX_SO_ERROR, SOL_SOCKET, SO_ERROR},
        {LX_SOL_SOCKET, LX_SO_BROADCAST, SOL_SOCKET, SO_BROADCAST},
        {LX_SOL_SOCKET, LX_SO_RCVBUF, SOL_SOCKET, SO_RCVBUF},
        {LX_SOL_SOCKET, LX_SO_KEEPALIVE, SOL_SOCKET, SO_KEEPALIVE},
        {LX_SOL_SOCKET, LX_SO_NO_CHECK, SOL_SOCKET, SO_NO_CHECK},
        {LX_SOL_SOCKET, LX_SO_LINGER, SOL_SOCKET, SO_LINGER},
        {LX_SOL_SOCKET, LX_SO_RCVTIMEO, SOL_SOCKET, SO_RCVTIMEO},
        {LX_SOL_SOCKET, LX_SO_SNDTIMEO, SOL_SOCKET, SO_SNDTIMEO},
        {LX_SOL_SOCKET, LX_SO_ACCEPTCONN, SOL_SOCKET, SO_ACCEPTCONN},
        {LX_IPPROTO_IP, LX_IP_TOS, IPPROTO_IP, IP_TOS},
        {LX_IPPROTO_IP, LX_IP_TTL, IPPROTO_IP, IP_TTL},
        {LX_IPPROTO_IP, LX_IP_PKTINFO, IPPROTO_IP, IP_PKTINFO},
        {LX_IPPROTO_IP, LX_IP_MULTICAST_IF, IPPROTO_IP, IP_MULTICAST_IF},
        {LX_IPPROTO_IP, LX_IP_ADD_MEMBERSHIP, IPPROTO_IP, IP_ADD_MEMBERSHIP},
        {LX_IPPROTO_IP, LX_IP_DROP_MEMBERSHIP, IPPROTO_IP, IP_DROP_MEMBERSHIP},
        {LX_IPPROTO_TCP, LX_TCP_NODELAY, IPPROTO_TCP, TCP_NODELAY},
        {LX_IPPROTO_TCP, LX_TCP_KEEPIDLE, IPPROTO_TCP, TCP_KEEPIDLE},
        {LX_IPPROTO_TCP, LX_TCP_KEEPINTVL, IPPROTO_TCP, TCP_KEEPINTVL},
        {LX_IPPROTO_TCP, LX_TCP_KEEPCNT, IPPROTO_TCP, TCP_KEEPCNT},
        {LX_IPPROTO_IPV6, LX_IPV6_V6ONLY, IPPROTO_IPV6, IPV6_V6ONLY},
        {LX_IPPROTO_IPV6, LX_IPV6_CHECKSUM, IPPROTO_IPV6, IPV6_CHECKSUM},
        {LX_IPPROTO_IPV6, LX_IPV6_JOIN_GROUP, IPPROTO_IPV6, IPV6_JOIN_GROUP},
        {LX_IPPROTO_IPV6, LX_IPV6_LEAVE_GROUP, IPPROTO_IPV6, IPV6_LEAVE_GROUP},
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        int one = 1;
        lw.calls = 0;
        ck_assert_int_eq(sock_setsockopt(FD, want[i].lx_level, want[i].lx_name, &one, sizeof(one)),
                         0);
        ck_assert_int_eq(lw.calls, 1);
        ck_assert_int_eq(lw.s, 42);
        ck_assert_msg(lw.level == want[i].level && lw.name == want[i].name,
                      "option %d/%d reached lwIP as %d/%d, expected %d/%d", want[i].lx_level,
                      want[i].lx_name, lw.level, lw.name, want[i].level, want[i].name);
        ck_assert_uint_eq(lw.len, sizeof(int));
    }
}
END_TEST

START_TEST(unknown_options_fail)
{
    int one = 1;
    errno = 0;
    ck_assert_int_eq(sock_setsockopt(FD, LX_SOL_SOCKET, LX_SO_BINDTODEVICE, &one, sizeof(one)), -1);
    ck_assert_int_eq(errno, ENOPROTOOPT);
    errno = 0;
    socklen_t len = sizeof(one);
    ck_assert_int_eq(sock_getsockopt(FD, 999, LX_SO_TYPE, &one, &len), -1);
    ck_assert_int_eq(errno, ENOPROTOOPT);
    ck_assert_int_eq(lw.calls, 0);
}
END_TEST

START_TEST(byte_options_convert)
{
    int ttl = 7;
    ck_assert_int_eq(sock_setsockopt(FD, LX_IPPROTO_IP, LX_IP_MULTICAST_TTL, &ttl, sizeof(ttl)), 0);
    ck_assert_int_eq(lw.name, IP_MULTICAST_TTL);
    ck_assert_uint_eq(lw.len, 1);
    ck_assert_uint_eq(lw.val[0], 7);
    get_value = 1;
    int out = -1;
    socklen_t len = sizeof(out);
    ck_assert_int_eq(sock_getsockopt(FD, LX_IPPROTO_IP, LX_IP_MULTICAST_LOOP, &out, &len), 0);
    ck_assert_int_eq(lw.name, IP_MULTICAST_LOOP);
    ck_assert_int_eq(out, 1);
    ck_assert_uint_eq(len, sizeof(int));
}
END_TEST

START_TEST(sndbuf_answered_here)
{
    int v = 4096;
    ck_assert_int_eq(sock_setsockopt(FD, LX_SOL_SOCKET, LX_SO_SNDBUF, &v, sizeof(v)), 0);
    socklen_t len = sizeof(v);
    ck_assert_int_eq(sock_getsockopt(FD, LX_SOL_SOCKET, LX_SO_SNDBUF, &v, &len), 0);
    ck_assert_int_eq(v, TCP_SND_BUF);
    ck_assert_int_eq(lw.calls, 0);
}
END_TEST

START_TEST(so_type_in_linux_values)
{
    get_value = SOCK_STREAM;
    int v = -1;
    socklen_t len = sizeof(v);
    ck_assert_int_eq(sock_getsockopt(FD, LX_SOL_SOCKET, LX_SO_TYPE, &v, &len), 0);
    ck_assert_int_eq(v, LX_SOCK_STREAM);
    get_value = SOCK_DGRAM;
    ck_assert_int_eq(sock_getsockopt(FD, LX_SOL_SOCKET, LX_SO_TYPE, &v, &len), 0);
    ck_assert_int_eq(v, LX_SOCK_DGRAM);
}
END_TEST

/* After a non-blocking connect, SO_ERROR says what connect() would have. */
START_TEST(so_error_of_a_handshake)
{
    int v;
    socklen_t len = sizeof(v);
    the_sock.connecting = 1;
    get_value = ECONNRESET;
    ck_assert_int_eq(sock_getsockopt(FD, LX_SOL_SOCKET, LX_SO_ERROR, &v, &len), 0);
    ck_assert_int_eq(v, ECONNREFUSED);
    ck_assert_int_eq(the_sock.connecting, 0);
    ck_assert_int_eq(sock_getsockopt(FD, LX_SOL_SOCKET, LX_SO_ERROR, &v, &len), 0);
    ck_assert_int_eq(v, ECONNRESET); /* later errors are the connection's own */
    the_sock.connecting = 1;
    get_value = ECONNABORTED;
    ck_assert_int_eq(sock_getsockopt(FD, LX_SOL_SOCKET, LX_SO_ERROR, &v, &len), 0);
    ck_assert_int_eq(v, ETIMEDOUT);
}
END_TEST

START_TEST(bad_arguments)
{
    int v = 1;
    socklen_t len = sizeof(v);
    errno = 0;
    ck_assert_int_eq(sock_getsockopt(FD, LX_SOL_SOCKET, LX_SO_TYPE, NULL, &len), -1);
    ck_assert_int_eq(errno, EFAULT);
    errno = 0;
    ck_assert_int_eq(sock_getsockopt(FD, LX_SOL_SOCKET, LX_SO_TYPE, &v, NULL), -1);
    ck_assert_int_eq(errno, EFAULT);
    errno = 0;
    ck_assert_int_eq(sock_setsockopt(FD + 1, LX_SOL_SOCKET, LX_SO_REUSEADDR, &v, sizeof(v)), -1);
    ck_assert_int_eq(errno, EBADF);
    ck_assert_int_eq(lw.calls, 0);
}
END_TEST

START_TEST(fcntl_and_ioctl)
{
    ck_assert_int_eq(sock_fcntl(&the_sock, LX_F_GETFL, 0), LX_O_RDWR);
    ck_assert_int_eq(sock_fcntl(&the_sock, LX_F_SETFL, LX_O_RDWR | LX_O_NONBLOCK), 0);
    ck_assert_int_eq(lw.ioctl_cmd, FIONBIO);
    ck_assert_int_eq(lw.ioctl_arg, 1);
    ck_assert_int_eq(sock_fcntl(&the_sock, LX_F_GETFL, 0), LX_O_RDWR | LX_O_NONBLOCK);
    int off = 0;
    ck_assert_int_eq(sock_ioctl(&the_sock, LX_FIONBIO, &off), 0);
    ck_assert_int_eq(lw.ioctl_arg, 0);
    ck_assert_int_eq(sock_fcntl(&the_sock, LX_F_GETFL, 0), LX_O_RDWR);
    int n = 0;
    ck_assert_int_eq(sock_ioctl(&the_sock, LX_FIONREAD, &n), 0);
    ck_assert_int_eq(lw.ioctl_cmd, FIONREAD);
    errno = 0;
    ck_assert_int_eq(sock_ioctl(&the_sock, 0x1234, &n), -1);
    ck_assert_int_eq(errno, ENOTTY);
    errno = 0;
    ck_assert_int_eq(sock_fcntl(&the_sock, 99, 0), -1);
    ck_assert_int_eq(errno, EINVAL);
}
END_TEST

Suite *sockopt_suite(void)
{
    Suite *s = suite_create("sockopt");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, table_maps_each_option);
    tcase_add_test(tc, unknown_options_fail);
    tcase_add_test(tc, byte_options_convert);
    tcase_add_test(tc, sndbuf_answered_here);
    tcase_add_test(tc, so_type_in_linux_values);
    tcase_add_test(tc, so_error_of_a_handshake);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, fcntl_and_ioctl);
    suite_add_tcase(s, tc);
    return s;
}
