/* Unit tests for libos/netdb.c: getaddrinfo's flags, families and errors,
 * getnameinfo and gai_strerror, with DNS (resolve.c) replaced by a fake.
 * Built against the host's Linux headers, whose structures and constants
 * libos's public headers copy; the functions under test are libos's own. */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "suites.h"

/* The fake resolver: records the last question, gives the set answer. */
static struct {
    int calls;
    char name[64];
    int family;
    int answer; /* AF_INET, AF_INET6 or a negative EAI_ code */
} dns;

int sock_resolve(const char *name, int family, unsigned char addr[16])
{
    dns.calls++;
    snprintf(dns.name, sizeof(dns.name), "%s", name);
    dns.family = family;
    if (dns.answer == AF_INET)
        memcpy(addr, "\xc0\x00\x02\x07", 4);
    else if (dns.answer == AF_INET6)
        memcpy(addr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x07", 16);
    return dns.answer;
}

static struct addrinfo *res;

static void setup(void)
{
    memset(&dns, 0, sizeof(dns));
    dns.answer = AF_INET;
    res = NULL;
}

static void teardown(void)
{
    freeaddrinfo(res);
}

static int gai(const char *node, const char *service, int flags, int family, int socktype)
{
    struct addrinfo hints = {.ai_flags = flags, .ai_family = family, .ai_socktype = socktype};
    return getaddrinfo(node, service, &hints, &res);
}

static int count(void)
{
    int n = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next)
        n++;
    return n;
}

/* The text form of entry ai's address and its port. */
static const char *addr_of(const struct addrinfo *ai, int *port)
{
    static char buf[INET6_ADDRSTRLEN];
    if (ai->ai_family == AF_INET) {
        const struct sockaddr_in *sin = (const struct sockaddr_in *)ai->ai_addr;
        ck_assert_uint_eq(ai->ai_addrlen, sizeof(*sin));
        ck_assert_int_eq(sin->sin_family, AF_INET);
        *port = ntohs(sin->sin_port);
        return inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof(buf));
    }
    const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ai->ai_addr;
    ck_assert_int_eq(ai->ai_family, AF_INET6);
    ck_assert_uint_eq(ai->ai_addrlen, sizeof(*sin6));
    ck_assert_int_eq(sin6->sin6_family, AF_INET6);
    *port = ntohs(sin6->sin6_port);
    return inet_ntop(AF_INET6, &sin6->sin6_addr, buf, sizeof(buf));
}

START_TEST(numeric_host_and_port)
{
    int port;
    ck_assert_int_eq(gai("192.0.2.1", "53", 0, AF_UNSPEC, SOCK_DGRAM), 0);
    ck_assert_int_eq(count(), 1);
    ck_assert_str_eq(addr_of(res, &port), "192.0.2.1");
    ck_assert_int_eq(port, 53);
    ck_assert_int_eq(res->ai_socktype, SOCK_DGRAM);
    ck_assert_int_eq(res->ai_protocol, IPPROTO_UDP);
    ck_assert_int_eq(dns.calls, 0);
}
END_TEST

START_TEST(no_socktype_gives_stream_then_dgram)
{
    int port;
    ck_assert_int_eq(getaddrinfo("2001:db8::1", "80", NULL, &res), 0);
    ck_assert_int_eq(count(), 2);
    ck_assert_int_eq(res->ai_socktype, SOCK_STREAM);
    ck_assert_int_eq(res->ai_protocol, IPPROTO_TCP);
    ck_assert_int_eq(res->ai_next->ai_socktype, SOCK_DGRAM);
    ck_assert_str_eq(addr_of(res->ai_next, &port), "2001:db8::1");
    ck_assert_int_eq(port, 80);
}
END_TEST

START_TEST(null_node_passive_and_loopback)
{
    int port;
    ck_assert_int_eq(gai(NULL, "7", AI_PASSIVE, AF_UNSPEC, SOCK_STREAM), 0);
    ck_assert_int_eq(count(), 2); /* IPv4 first */
    ck_assert_str_eq(addr_of(res, &port), "0.0.0.0");
    ck_assert_int_eq(port, 7);
    ck_assert_str_eq(addr_of(res->ai_next, &port), "::");
    freeaddrinfo(res);
    res = NULL;
    ck_assert_int_eq(gai(NULL, "7", 0, AF_INET, SOCK_STREAM), 0);
    ck_assert_int_eq(count(), 1);
    ck_assert_str_eq(addr_of(res, &port), "127.0.0.1");
    freeaddrinfo(res);
    res = NULL;
    ck_assert_int_eq(gai("localhost", NULL, AI_PASSIVE, AF_INET6, SOCK_STREAM), 0);
    ck_assert_int_eq(count(), 1); /* a named node is never the wildcard */
    ck_assert_str_eq(addr_of(res, &port), "::1");
    ck_assert_int_eq(port, 0);
}
END_TEST

START_TEST(names_go_to_dns)
{
    int port;
    ck_assert_int_eq(gai("www.example.test", "https", 0, AF_INET, SOCK_STREAM), 0);
    ck_assert_int_eq(dns.calls, 1);
    ck_assert_str_eq(dns.name, "www.example.test");
    ck_assert_int_eq(dns.family, AF_INET);
    ck_assert_str_eq(addr_of(res, &port), "192.0.2.7");
    ck_assert_int_eq(port, 443);
    freeaddrinfo(res);
    res = NULL;
    dns.answer = AF_INET6;
    ck_assert_int_eq(gai("v6.example.test", NULL, 0, AF_UNSPEC, SOCK_DGRAM), 0);
    ck_assert_str_eq(addr_of(res, &port), "2001:db8::7");
}
END_TEST

START_TEST(dns_errors_pass_through)
{
    dns.answer = EAI_AGAIN;
    ck_assert_int_eq(gai("slow.example.test", NULL, 0, AF_UNSPEC, 0), EAI_AGAIN);
    dns.answer = EAI_NONAME;
    ck_assert_int_eq(gai("nope.example.test", NULL, 0, AF_UNSPEC, 0), EAI_NONAME);
    ck_assert_ptr_null(res);
}
END_TEST

START_TEST(numerichost_never_asks_dns)
{
    ck_assert_int_eq(gai("www.example.test", "80", AI_NUMERICHOST, AF_UNSPEC, 0), EAI_NONAME);
    ck_assert_int_eq(dns.calls, 0);
    ck_assert_int_eq(gai("192.0.2.1", "80", AI_NUMERICHOST, AF_UNSPEC, 0), 0);
}
END_TEST

START_TEST(services)
{
    int port;
    ck_assert_int_eq(gai("192.0.2.1", "domain", 0, AF_INET, SOCK_DGRAM), 0);
    ck_assert_str_eq(addr_of(res, &port), "192.0.2.1");
    ck_assert_int_eq(port, 53);
    ck_assert_int_eq(gai("192.0.2.1", "http", AI_NUMERICSERV, AF_INET, 0), EAI_NONAME);
    ck_assert_int_eq(gai("192.0.2.1", "gopher", 0, AF_INET, 0), EAI_SERVICE);
    ck_assert_int_eq(gai("192.0.2.1", "65536", 0, AF_INET, 0), EAI_SERVICE);
    ck_assert_int_eq(gai("192.0.2.1", "-1", 0, AF_INET, 0), EAI_SERVICE);
}
END_TEST

START_TEST(family_mismatch_and_v4mapped)
{
    int port;
    ck_assert_int_eq(gai("192.0.2.1", NULL, 0, AF_INET6, 0), EAI_NONAME);
    ck_assert_int_eq(gai("2001:db8::1", NULL, 0, AF_INET, 0), EAI_NONAME);
    ck_assert_int_eq(gai("192.0.2.1", "9", AI_V4MAPPED, AF_INET6, SOCK_STREAM), 0);
    ck_assert_str_eq(addr_of(res, &port), "::ffff:192.0.2.1");
    ck_assert_int_eq(port, 9);
}
END_TEST

START_TEST(scope_id)
{
    ck_assert_int_eq(gai("fe80::1%3", NULL, 0, AF_INET6, SOCK_DGRAM), 0);
    ck_assert_uint_eq(((struct sockaddr_in6 *)res->ai_addr)->sin6_scope_id, 3);
}
END_TEST

START_TEST(bad_hints)
{
    ck_assert_int_eq(gai("192.0.2.1", NULL, 0, 12345, 0), EAI_FAMILY);
    ck_assert_int_eq(gai("192.0.2.1", NULL, 0, AF_UNSPEC, SOCK_RAW), EAI_SOCKTYPE);
    ck_assert_int_eq(gai(NULL, NULL, 0, AF_UNSPEC, 0), EAI_NONAME);
    ck_assert_ptr_null(res);
}
END_TEST

START_TEST(canonname)
{
    ck_assert_int_eq(gai("www.example.test", NULL, AI_CANONNAME, AF_INET, SOCK_STREAM), 0);
    ck_assert_str_eq(res->ai_canonname, "www.example.test");
    freeaddrinfo(res);
    res = NULL;
    ck_assert_int_eq(gai("192.0.2.1", NULL, 0, AF_INET, SOCK_STREAM), 0);
    ck_assert_ptr_null(res->ai_canonname);
}
END_TEST

START_TEST(nameinfo)
{
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons(53)};
    inet_pton(AF_INET, "192.0.2.1", &sin.sin_addr);
    char host[NI_MAXHOST], serv[NI_MAXSERV];
    const struct sockaddr *sa = (const struct sockaddr *)&sin;
    ck_assert_int_eq(getnameinfo(sa, sizeof(sin), host, sizeof(host), serv, sizeof(serv), 0), 0);
    ck_assert_str_eq(host, "192.0.2.1");
    ck_assert_str_eq(serv, "53");
    ck_assert_int_eq(getnameinfo(sa, sizeof(sin), host, sizeof(host), NULL, 0, NI_NAMEREQD),
                     EAI_NONAME); /* there is no reverse DNS */
    ck_assert_int_eq(getnameinfo(sa, sizeof(sin), host, 4, NULL, 0, 0), EAI_OVERFLOW);
    ck_assert_int_eq(getnameinfo(sa, sizeof(sin), NULL, 0, serv, 2, 0), EAI_OVERFLOW);
    ck_assert_int_eq(getnameinfo(sa, sizeof(sin) - 1, host, sizeof(host), NULL, 0, 0), EAI_FAMILY);
    struct sockaddr_in6 sin6 = {.sin6_family = AF_INET6, .sin6_port = htons(8)};
    inet_pton(AF_INET6, "2001:db8::1", &sin6.sin6_addr);
    ck_assert_int_eq(getnameinfo((const struct sockaddr *)&sin6, sizeof(sin6), host, sizeof(host),
                                 serv, sizeof(serv), 0),
                     0);
    ck_assert_str_eq(host, "2001:db8::1");
    ck_assert_str_eq(serv, "8");
}
END_TEST

START_TEST(strerror_names_each_code)
{
    static const int codes[] = {EAI_BADFLAGS, EAI_NONAME,  EAI_AGAIN,  EAI_FAIL,    EAI_FAMILY,
                                EAI_SOCKTYPE, EAI_SERVICE, EAI_MEMORY, EAI_OVERFLOW};
    for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
        ck_assert_str_ne(gai_strerror(codes[i]), "Unknown error");
    ck_assert_str_eq(gai_strerror(0), "Success");
    ck_assert_str_eq(gai_strerror(12345), "Unknown error");
}
END_TEST

Suite *netdb_suite(void)
{
    Suite *s = suite_create("netdb");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, numeric_host_and_port);
    tcase_add_test(tc, no_socktype_gives_stream_then_dgram);
    tcase_add_test(tc, null_node_passive_and_loopback);
    tcase_add_test(tc, names_go_to_dns);
    tcase_add_test(tc, dns_errors_pass_through);
    tcase_add_test(tc, numerichost_never_asks_dns);
    tcase_add_test(tc, services);
    tcase_add_test(tc, family_mismatch_and_v4mapped);
    tcase_add_test(tc, scope_id);
    tcase_add_test(tc, bad_hints);
    tcase_add_test(tc, canonname);
    tcase_add_test(tc, nameinfo);
    tcase_add_test(tc, strerror_names_each_code);
    suite_add_tcase(s, tc);
    return s;
}
