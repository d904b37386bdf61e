/* getaddrinfo, freeaddrinfo, getnameinfo, gai_strerror. Numeric hosts and
 * ports, "localhost" and a few well-known service names are answered here;
 * other host names go to DNS (resolve.c). */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The services a small server is likely to name (there is no
 * /etc/services in an image). */
static const struct {
    const char *name;
    int port;
} services[] = {
    {"echo", 7}, {"domain", 53}, {"http", 80}, {"ntp", 123}, {"https", 443}, {"syslog", 514},
};

struct addr {
    int family;
    unsigned char bytes[16];
    uint32_t scope_id;
};

static int parse_port(const char *service, int flags, int *port)
{
    *port = 0;
    if (!service)
        return 0;
    char *end;
    long v = strtol(service, &end, 10);
    if (*service && !*end) {
        if (v < 0 || v > 65535)
            return EAI_SERVICE;
        *port = (int)v;
        return 0;
    }
    if (flags & AI_NUMERICSERV)
        return EAI_NONAME;
    for (size_t i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
        if (strcmp(service, services[i].name) == 0) {
            *port = services[i].port;
            return 0;
        }
    }
    return EAI_SERVICE;
}

/* The addresses node names, up to two (IPv4 first when both fit). */
static int parse_node(const char *node, int family, int flags, struct addr out[2], int *n)
{
    *n = 0;
    int v4 = family != AF_INET6, v6 = family != AF_INET;
    if (!node || strcmp(node, "localhost") == 0) {
        int passive = !node && (flags & AI_PASSIVE);
        if (v4) {
            out[*n] = (struct addr){.family = AF_INET};
            uint32_t a = htonl(passive ? INADDR_ANY : INADDR_LOOPBACK);
            memcpy(out[(*n)++].bytes, &a, 4);
        }
        if (v6) {
            out[*n] = (struct addr){.family = AF_INET6};
            memcpy(out[(*n)++].bytes, passive ? &in6addr_any : &in6addr_loopback, 16);
        }
        return 0;
    }
    struct addr a = {0};
    char host[INET6_ADDRSTRLEN + 12];
    const char *pct = strchr(node, '%'); /* fe80::1%2: a numeric scope id */
    if (pct && (size_t)(pct - node) < sizeof(host) && strchr(node, ':')) {
        memcpy(host, node, (size_t)(pct - node));
        host[pct - node] = '\0';
        a.scope_id = (uint32_t)strtoul(pct + 1, NULL, 10);
        node = host;
    }
    if (inet_pton(AF_INET, node, a.bytes) == 1) {
        if (v4) {
            a.family = AF_INET;
        } else if (flags & AI_V4MAPPED) { /* ::ffff:a.b.c.d */
            memmove(a.bytes + 12, a.bytes, 4);
            memset(a.bytes, 0, 10);
            a.bytes[10] = a.bytes[11] = 0xff;
            a.family = AF_INET6;
        } else {
            return EAI_NONAME;
        }
    } else if (inet_pton(AF_INET6, node, a.bytes) == 1) {
        if (!v6)
            return EAI_NONAME;
        a.family = AF_INET6;
    } else if (flags & AI_NUMERICHOST) {
        return EAI_NONAME;
    } else {
        int r = sock_resolve(node, family, a.bytes);
        if (r < 0)
            return r;
        a.family = r;
    }
    out[(*n)++] = a;
    return 0;
}

static struct addrinfo *entry(const struct addr *a, int socktype, int protocol, int port)
{
    struct addrinfo *ai = calloc(1, sizeof(*ai) + sizeof(struct sockaddr_storage));
    if (!ai)
        return NULL;
    ai->ai_family = a->family;
    ai->ai_socktype = socktype;
    ai->ai_protocol = protocol ? protocol : socktype == SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP;
    ai->ai_addr = (struct sockaddr *)(ai + 1);
    if (a->family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)ai->ai_addr;
        sin->sin_family = AF_INET;
        sin->sin_port = htons((uint16_t)port);
        memcpy(&sin->sin_addr, a->bytes, 4);
        ai->ai_addrlen = sizeof(*sin);
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ai->ai_addr;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons((uint16_t)port);
        memcpy(&sin6->sin6_addr, a->bytes, 16);
        sin6->sin6_scope_id = a->scope_id;
        ai->ai_addrlen = sizeof(*sin6);
    }
    return ai;
}

int getaddrinfo(const char *restrict node, const char *restrict service,
                const struct addrinfo *restrict hints, struct addrinfo **restrict res)
{
    int flags = hints ? hints->ai_flags : 0;
    int family = hints ? hints->ai_family : AF_UNSPEC;
    int socktype = hints ? hints->ai_socktype : 0;
    int protocol = hints ? hints->ai_protocol : 0;
    if (family != AF_UNSPEC && family != AF_INET && family != AF_INET6)
        return EAI_FAMILY;
    if (socktype != 0 && socktype != SOCK_STREAM && socktype != SOCK_DGRAM)
        return EAI_SOCKTYPE;
    if (!node && !service)
        return EAI_NONAME;
    int port, n, err;
    struct addr addrs[2];
    if ((err = parse_port(service, flags, &port)) ||
        (err = parse_node(node, family, flags, addrs, &n)))
        return err;
    struct addrinfo *head = NULL, **tail = &head;
    for (int i = 0; i < n; i++) {
        for (int t = SOCK_STREAM; t <= SOCK_DGRAM; t++) {
            if (socktype && t != socktype)
                continue;
            if (!(*tail = entry(&addrs[i], t, protocol, port))) {
                freeaddrinfo(head);
                return EAI_MEMORY;
            }
            tail = &(*tail)->ai_next;
        }
    }
    if ((flags & AI_CANONNAME) && head &&
        !(head->ai_canonname = strdup(node ? node : "localhost"))) {
        freeaddrinfo(head);
        return EAI_MEMORY;
    }
    *res = head;
    return 0;
}

void freeaddrinfo(struct addrinfo *res)
{
    while (res) {
        struct addrinfo *next = res->ai_next;
        free(res->ai_canonname);
        free(res);
        res = next;
    }
}

int getnameinfo(const struct sockaddr *restrict sa, socklen_t salen, char *restrict host,
                socklen_t hostlen, char *restrict serv, socklen_t servlen, int flags)
{
    const void *addr;
    int port;
    if (sa->sa_family == AF_INET && salen >= sizeof(struct sockaddr_in)) {
        addr = &((const struct sockaddr_in *)sa)->sin_addr;
        port = ntohs(((const struct sockaddr_in *)sa)->sin_port);
    } else if (sa->sa_family == AF_INET6 && salen >= sizeof(struct sockaddr_in6)) {
        addr = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        port = ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
    } else {
        return EAI_FAMILY;
    }
    if (host && hostlen) {
        if (flags & NI_NAMEREQD)
            return EAI_NONAME; /* no reverse DNS */
        if (!inet_ntop(sa->sa_family, addr, host, hostlen))
            return EAI_OVERFLOW;
    }
    if (serv && servlen && snprintf(serv, servlen, "%d", port) >= (int)servlen)
        return EAI_OVERFLOW;
    return 0;
}

const char *gai_strerror(int err)
{
    switch (err) {
    case 0:
        return "Success";
    case EAI_BADFLAGS:
        return "Bad value for ai_flags";
    case EAI_NONAME:
        return "Name or service not known";
    case EAI_AGAIN:
        return "Temporary failure in name resolution";
    case EAI_FAIL:
        return "Non-recoverable failure in name resolution";
    case EAI_FAMILY:
        return "ai_family not supported";
    case EAI_SOCKTYPE:
        return "ai_socktype not supported";
    case EAI_SERVICE:
        return "Servname not supported for ai_socktype";
    case EAI_MEMORY:
        return "Memory allocation failure";
    case EAI_SYSTEM:
        return strerror(errno);
    case EAI_OVERFLOW:
        return "Argument buffer overflow";
    default:
        return "Unknown error";
    }
}
