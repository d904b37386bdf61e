/* Unit tests for libos/sockaddr.c: the apps' (Linux) socket addresses to
 * lwIP's and back, with the errors and the truncation POSIX asks for. */
#include <errno.h>
#include <string.h>

#include "sock.h"
#include "suites.h"

START_TEST(ipv4_to_lwip)
{
    struct lx_sockaddr_in in = {.family = LX_AF_INET, .port = 0x3500, .addr = 0x0102000a};
    struct sockaddr_storage lw;
    socklen_t len = 0;
    ck_assert_int_eq(sock_addr_to_lwip(&in, sizeof(in), &lw, &len), 0);
    const struct sockaddr_in *b = (const struct sockaddr_in *)&lw;
    ck_assert_uint_eq(len, sizeof(*b));
    ck_assert_uint_eq(b->sin_len, sizeof(*b));
    ck_assert_uint_eq(b->sin_family, AF_INET);
    ck_assert_uint_eq(b->sin_port, 0x3500); /* network order, untouched */
    ck_assert_uint_eq(b->sin_addr.s_addr, 0x0102000a);
}
END_TEST

START_TEST(ipv6_to_lwip)
{
    struct lx_sockaddr_in6 in = {
        .family = LX_AF_INET6, .port = 0x3500, .flowinfo = 9, .scope_id = 2};
    memcpy(in.addr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
    struct sockaddr_storage lw;
    socklen_t len = 0;
    ck_assert_int_eq(sock_addr_to_lwip(&in, sizeof(in), &lw, &len), 0);
    const struct sockaddr_in6 *b = (const struct sockaddr_in6 *)&lw;
    ck_assert_uint_eq(len, sizeof(*b));
    ck_assert_uint_eq(b->sin6_len, sizeof(*b));
    ck_assert_uint_eq(b->sin6_family, AF_INET6);
    ck_assert_uint_eq(b->sin6_port, 0x3500);
    ck_assert_uint_eq(b->sin6_flowinfo, 9);
    ck_assert_uint_eq(b->sin6_scope_id, 2);
    ck_assert_mem_eq(&b->sin6_addr, in.addr, 16);
}
END_TEST

/* connect() with AF_UNSPEC dissolves a UDP association. */
START_TEST(unspec_to_lwip)
{
    struct lx_sockaddr sa = {.family = LX_AF_UNSPEC};
    struct sockaddr_storage lw;
    socklen_t len = 0;
    ck_assert_int_eq(sock_addr_to_lwip(&sa, sizeof(sa), &lw, &len), 0);
    ck_assert_uint_eq(lw.ss_family, AF_UNSPEC);
    ck_assert_uint_eq(len, sizeof(struct sockaddr));
}
END_TEST

START_TEST(to_lwip_errors)
{
    struct lx_sockaddr_in in = {.family = LX_AF_INET};
    struct lx_sockaddr_in6 in6 = {.family = LX_AF_INET6};
    struct lx_sockaddr other = {.family = 1}; /* AF_UNIX */
    struct sockaddr_storage lw;
    socklen_t len;
    errno = 0;
    ck_assert_int_eq(sock_addr_to_lwip(NULL, sizeof(in), &lw, &len), -1);
    ck_assert_int_eq(errno, EFAULT);
    errno = 0;
    ck_assert_int_eq(sock_addr_to_lwip(&in, 1, &lw, &len), -1);
    ck_assert_int_eq(errno, EINVAL);
    errno = 0;
    ck_assert_int_eq(sock_addr_to_lwip(&in, sizeof(in) - 1, &lw, &len), -1);
    ck_assert_int_eq(errno, EINVAL);
    errno = 0;
    ck_assert_int_eq(sock_addr_to_lwip(&in6, sizeof(in6) - 4, &lw, &len), -1);
    ck_assert_int_eq(errno, EINVAL);
    errno = 0;
    ck_assert_int_eq(sock_addr_to_lwip(&other, sizeof(other), &lw, &len), -1);
    ck_assert_int_eq(errno, EAFNOSUPPORT);
}
END_TEST

START_TEST(ipv4_from_lwip)
{
    struct sockaddr_in a = {.sin_len = sizeof(a), .sin_family = AF_INET, .sin_port = 0x5000};
    a.sin_addr.s_addr = 0x0102000a;
    struct lx_sockaddr_in out;
    memset(&out, 0xee, sizeof(out));
    uint32_t len = sizeof(out);
    sock_addr_from_lwip((const struct sockaddr *)&a, &out, &len);
    ck_assert_uint_eq(len, sizeof(out));
    ck_assert_uint_eq(out.family, LX_AF_INET);
    ck_assert_uint_eq(out.port, 0x5000);
    ck_assert_uint_eq(out.addr, 0x0102000a);
    ck_assert_mem_eq(out.zero, "\0\0\0\0\0\0\0\0", 8);
}
END_TEST

START_TEST(ipv6_from_lwip)
{
    struct sockaddr_in6 a = {.sin6_len = sizeof(a),
                             .sin6_family = AF_INET6,
                             .sin6_port = 0x5000,
                             .sin6_flowinfo = 3,
                             .sin6_scope_id = 4};
    memcpy(&a.sin6_addr, "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
    unsigned char buf[LX_SOCKADDR_STORAGE_SIZE];
    uint32_t len = sizeof(buf);
    sock_addr_from_lwip((const struct sockaddr *)&a, buf, &len);
    struct lx_sockaddr_in6 out;
    memcpy(&out, buf, sizeof(out));
    ck_assert_uint_eq(len, sizeof(out));
    ck_assert_uint_eq(out.family, LX_AF_INET6);
    ck_assert_uint_eq(out.port, 0x5000);
    ck_assert_uint_eq(out.flowinfo, 3);
    ck_assert_uint_eq(out.scope_id, 4);
    ck_assert_mem_eq(out.addr, "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16);
}
END_TEST

/* A short buffer gets the start of the address, and the length says how
 * long the whole one is (POSIX accept/getsockname). */
START_TEST(from_lwip_truncates)
{
    struct sockaddr_in6 a = {.sin6_len = sizeof(a), .sin6_family = AF_INET6, .sin6_port = 0x5000};
    unsigned char buf[8];
    memset(buf, 0xee, sizeof(buf));
    uint32_t len = 4;
    sock_addr_from_lwip((const struct sockaddr *)&a, buf, &len);
    ck_assert_uint_eq(len, sizeof(struct lx_sockaddr_in6));
    ck_assert_mem_eq(buf, "\x0a\x00\x00\x50\xee\xee\xee\xee", 8);
    len = 0;
    sock_addr_from_lwip((const struct sockaddr *)&a, NULL, &len);
    ck_assert_uint_eq(len, sizeof(struct lx_sockaddr_in6));
}
END_TEST

Suite *sockaddr_suite(void)
{
    Suite *s = suite_create("sockaddr");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, ipv4_to_lwip);
    tcase_add_test(tc, ipv6_to_lwip);
    tcase_add_test(tc, unspec_to_lwip);
    tcase_add_test(tc, to_lwip_errors);
    tcase_add_test(tc, ipv4_from_lwip);
    tcase_add_test(tc, ipv6_from_lwip);
    tcase_add_test(tc, from_lwip_truncates);
    suite_add_tcase(s, tc);
    return s;
}
