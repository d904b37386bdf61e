/* Address conversion between text and binary (POSIX <arpa/inet.h>). */
#ifndef LIBOS_ARPA_INET_H
#define LIBOS_ARPA_INET_H

#include <netinet/in.h>

/* Dotted quad to a network-order address; INADDR_NONE when malformed. */
in_addr_t inet_addr(const char *cp);
/* 1 and *inp set when cp is a valid IPv4 address (a.b.c.d and the short
 * BSD forms), 0 otherwise. */
int inet_aton(const char *cp, struct in_addr *inp);
/* Dotted quad in a static buffer (not thread-safe across blocking calls). */
char *inet_ntoa(struct in_addr in);
/* af is AF_INET or AF_INET6. ntop: NULL + ENOSPC/EAFNOSUPPORT on failure;
 * pton: 1 on success, 0 when src is not an address, -1 + EAFNOSUPPORT. */
const char *inet_ntop(int af, const void *restrict src, char *restrict dst, socklen_t size);
int inet_pton(int af, const char *restrict src, void *restrict dst);

#endif
