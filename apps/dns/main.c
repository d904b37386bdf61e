/* The authoritative DNS server: options, loading the zones (all or none),
 * one startup line, then UDP and TCP on one port served from a poll()
 * loop. Only POSIX calls: the same file builds for the unikernel and for
 * Linux; where zones come from is the build's choice (source_*.c). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dns.h"

#define MAX_ZONES 64
#define UDP_BURST 64 /* datagrams read per wakeup before looking at TCP again */

static struct db db;
static struct stats stats;
static uint8_t udp_out[DNS_EDNS_SIZE]; /* no UDP answer is larger (respond.c) */
static uint8_t udp_in[DNS_QUERY_MAX];  /* a longer datagram arrives cut short */

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: dns [-p PORT] [-a ADDRESS] [-z ZONEFILE]... [--check]\n"
            "An authoritative DNS server for the zones it is given (RFC 1035 master files).\n"
            "  -p PORT      UDP and TCP port (default 53; 0 picks a free one)\n"
            "  -a ADDRESS   IPv4 address to listen on (default 0.0.0.0)\n"
            "  -z ZONEFILE  %s\n"
            "  --check      load the zones, print the summary line and exit\n"
            "  -h, --help   this help\n"
            "Without zones given, it serves the zone compiled in (%s).\n"
            "Counters: dig @SERVER -p PORT stats.server CH TXT\n",
            zone_sources_help, dns_builtin_zone_name);
}

/* Parses and indexes every zone; one bad zone stops the server. */
static int load(char **files, int nfiles, char *summary, size_t cap)
{
    static struct zone_src src[MAX_ZONES];
    static struct zone zones[MAX_ZONES];
    char err[512];
    int n = zone_sources(files, nfiles, src, MAX_ZONES, err, sizeof(err));
    if (n < 0) {
        fprintf(stderr, "dns: %s\n", err);
        return -1;
    }
    if (n == 0) {
        src[0].name = dns_builtin_zone_name;
        src[0].text = dns_builtin_zone;
        src[0].len = (size_t)(dns_builtin_zone_end - dns_builtin_zone);
        n = 1;
    }
    int bad = 0;
    for (int i = 0; i < n; i++) {
        if (zone_parse(&zones[i - bad], src[i].text, src[i].len, src[i].name, err, sizeof(err)) <
            0) {
            fprintf(stderr, "dns: %s\n", err);
            bad++;
        }
    }
    int rc = -1;
    if (bad)
        fprintf(stderr, "dns: %d of %d zone%s rejected; not serving\n", bad, n, n > 1 ? "s" : "");
    else if (db_build(&db, zones, n, err, sizeof(err)) < 0)
        fprintf(stderr, "dns: %s\n", err);
    else
        rc = 0;
    size_t len = (size_t)snprintf(summary, cap, "%d zone%s:", n, n > 1 ? "s" : "");
    for (int i = 0; rc == 0 && i < n && len < cap; i++) {
        char name[256];
        name_to_text(db_name(&db, db.zone[i].apex), name, sizeof(name));
        len += (size_t)snprintf(summary + len, cap - len, "%s %s (%u records)", i ? "," : "", name,
                                (unsigned)db.zone[i].records);
    }
    for (int i = 0; i < n - bad; i++)
        zone_free(&zones[i]);
    return rc;
}

static int open_socket(int type, struct sockaddr_in *sa)
{
    int fd = socket(AF_INET, type, 0), one = 1;
    if (fd < 0)
        return -1;
    if (type == SOCK_STREAM)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)sa, sizeof(*sa)) < 0 ||
        (type == SOCK_STREAM && listen(fd, 64) < 0)) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

/* UDP and TCP sockets on the same port; port 0 takes the UDP socket's
 * free port and tries again if TCP has it taken. */
static int open_sockets(const char *addr, int port, int *udp, int *tcp)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
        fprintf(stderr, "dns: bad address '%s' (an IPv4 address)\n", addr);
        return -1;
    }
    for (int attempt = 0; attempt < 20; attempt++) {
        sa.sin_port = htons((uint16_t)port);
        if ((*udp = open_socket(SOCK_DGRAM, &sa)) < 0)
            break;
        socklen_t sl = sizeof(sa);
        getsockname(*udp, (struct sockaddr *)&sa, &sl);
        if ((*tcp = open_socket(SOCK_STREAM, &sa)) >= 0)
            return ntohs(sa.sin_port);
        close(*udp);
        if (port != 0)
            break;
        sa.sin_port = 0;
    }
    fprintf(stderr, "dns: cannot listen on %s port %d: %s\n", addr, port, strerror(errno));
    return -1;
}

static void serve_udp(int fd)
{
    for (int i = 0; i < UDP_BURST; i++) {
        struct sockaddr_in from;
        socklen_t fl = sizeof(from);
        ssize_t n = recvfrom(fd, udp_in, sizeof(udp_in), 0, (struct sockaddr *)&from, &fl);
        if (n < 0)
            return; /* EAGAIN: drained */
        size_t r = dns_answer(&db, &stats, udp_in, (size_t)n, udp_out, sizeof(udp_out), false);
        if (r > 0)
            sendto(fd, udp_out, r, 0, (struct sockaddr *)&from, fl);
    }
}

int main(int argc, char **argv)
{
    const char *addr = "0.0.0.0";
    char *files[MAX_ZONES];
    int nfiles = 0, port = 53;
    bool check = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool has_value = i + 1 < argc;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--check") == 0) {
            check = true;
        } else if (strcmp(a, "-p") == 0 && has_value) {
            char *end;
            long p = strtol(argv[++i], &end, 10);
            if (*end || p < 0 || p > 65535) {
                fprintf(stderr, "dns: bad port '%s'\n", argv[i]);
                return 2;
            }
            port = (int)p;
        } else if (strcmp(a, "-a") == 0 && has_value) {
            addr = argv[++i];
        } else if (strcmp(a, "-z") == 0 && has_value && nfiles < MAX_ZONES) {
            files[nfiles++] = argv[++i];
        } else {
            fprintf(stderr, "dns: unexpected argument '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    char summary[1024];
    if (load(files, nfiles, summary, sizeof(summary)) < 0)
        return 1;
    if (check) {
        printf("dns: %s\n", summary);
        return 0;
    }
    int udp, tcp;
    port = open_sockets(addr, port, &udp, &tcp);
    if (port < 0)
        return 1;
    printf("dns: serving %s on %s port %d (udp, tcp)\n", summary, addr, port);
    fflush(stdout);

    clients_init();
    static struct pollfd fds[2 + TCP_CLIENTS];
    static int slot[TCP_CLIENTS];
    for (;;) {
        int timeout = clients_expire();
        fds[0] = (struct pollfd){.fd = udp, .events = POLLIN};
        fds[1] = (struct pollfd){.fd = tcp, .events = POLLIN};
        int n = clients_fill(fds + 2, slot);
        if (poll(fds, (nfds_t)(2 + n), timeout) < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "dns: poll: %s\n", strerror(errno));
            return 1;
        }
        if (fds[0].revents & POLLIN)
            serve_udp(udp);
        clients_events(fds + 2, slot, n, &db, &stats);
        if (fds[1].revents & POLLIN)
            clients_accept(tcp);
    }
}
