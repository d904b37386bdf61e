/* Sockets inside one VM with no network device: TCP and UDP over 127.0.0.1
 * and ::1 between threads, poll/select readiness, timeouts, the errors a
 * Linux program expects (ECONNREFUSED, EAGAIN, ENETDOWN), getaddrinfo and
 * the address helpers. Prints "nettest: PASS|FAIL name[: detail]" per check
 * and "nettest: all passed" when every check passed. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define CHECK_IMAGE "nettest"
#include "../check.h"

#define MIB (1024 * 1024)

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct sockaddr_in loopback4(int port)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static int tcp_listener(int port)
{
    int one = 1, s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback4(port);
    if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(s, 8) < 0)
        return -1;
    return s;
}

/* --- TCP: an echo server thread, 1 MiB through it with poll() ----------- */

static void *echo_server(void *arg)
{
    int ls = *(int *)arg;
    int c = accept(ls, NULL, NULL);
    char buf[8192];
    ssize_t n;
    while (c >= 0 && (n = read(c, buf, sizeof(buf))) > 0)
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(c, buf + off, (size_t)(n - off));
            if (w <= 0)
                goto done;
            off += w;
        }
done:
    close(c);
    return NULL;
}

static uint64_t fnv(uint64_t h, const unsigned char *p, size_t n)
{
    while (n--)
        h = (h ^ *p++) * 0x100000001b3ull;
    return h;
}

static void test_tcp_megabyte(void)
{
    int ls = tcp_listener(7);
    pthread_t th;
    if (ls < 0 || pthread_create(&th, NULL, echo_server, &ls) != 0) {
        check(0, "tcp-1MiB-echo", "listener: %s", strerror(errno));
        return;
    }
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback4(7);
    if (connect(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
        check(0, "tcp-1MiB-echo", "connect: %s", strerror(errno));
        return;
    }
    fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK);
    int nonblock_ok = (fcntl(s, F_GETFL) & O_NONBLOCK) != 0;
    static unsigned char out[MIB], in[16384];
    uint64_t x = 88172645463325252ull;
    for (size_t i = 0; i < MIB; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        out[i] = (unsigned char)x;
    }
    uint64_t sent_sum = fnv(0xcbf29ce484222325ull, out, MIB), got_sum = 0xcbf29ce484222325ull;
    size_t sent = 0, got = 0;
    int eagain = 0, polls = 0;
    double t0 = now_s();
    while (got < MIB) {
        struct pollfd p = {s, (short)(POLLIN | (sent < MIB ? POLLOUT : 0)), 0};
        if (poll(&p, 1, 5000) <= 0)
            break;
        polls++;
        if ((p.revents & POLLOUT) && sent < MIB) {
            size_t chunk = MIB - sent < 30000 ? MIB - sent : 30000; /* odd sizes on purpose */
            ssize_t w = write(s, out + sent, chunk);
            if (w > 0)
                sent += (size_t)w;
            else if (errno == EAGAIN)
                eagain++;
            else
                break;
            if (sent == MIB)
                shutdown(s, SHUT_WR);
        }
        if (p.revents & POLLIN) {
            ssize_t r = read(s, in, sizeof(in));
            if (r <= 0 && !(r < 0 && errno == EAGAIN))
                break;
            if (r > 0) {
                got_sum = fnv(got_sum, in, (size_t)r);
                got += (size_t)r;
            }
        }
    }
    double dt = now_s() - t0;
    char end;
    fcntl(s, F_SETFL, 0);
    ssize_t eof = read(s, &end, 1); /* the server closes after echoing everything */
    close(s);
    pthread_join(th, NULL);
    close(ls);
    check(got == MIB && got_sum == sent_sum && eof == 0 && nonblock_ok, "tcp-1MiB-echo",
          "%zu bytes back in %.2f s (%.1f MiB/s), checksum %s, %d polls, %d EAGAIN, eof %zd", got,
          dt, dt > 0 ? (double)got / MIB / dt : 0.0, got_sum == sent_sum ? "ok" : "WRONG", polls,
          eagain, eof);
}

/* --- UDP round trip, receive timeout ------------------------------------ */

static void *udp_echo(void *arg)
{
    int s = *(int *)arg;
    char buf[2048];
    struct sockaddr_in from;
    socklen_t len = sizeof(from);
    ssize_t n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
    if (n > 0)
        sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
    return NULL;
}

static void test_udp(void)
{
    int srv = socket(AF_INET, SOCK_DGRAM, 0), cli = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = loopback4(7);
    pthread_t th;
    if (bind(srv, (struct sockaddr *)&a, sizeof(a)) < 0 ||
        pthread_create(&th, NULL, udp_echo, &srv) != 0) {
        check(0, "udp-roundtrip", "bind: %s", strerror(errno));
        return;
    }
    struct timeval tv = {2, 0};
    setsockopt(cli, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    const char msg[] = "ping over udp";
    char buf[64] = "";
    struct sockaddr_in from = {0};
    socklen_t len = sizeof(from);
    ssize_t w = sendto(cli, msg, sizeof(msg), 0, (struct sockaddr *)&a, sizeof(a));
    ssize_t r = recvfrom(cli, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
    pthread_join(th, NULL);
    check(w == sizeof(msg) && r == sizeof(msg) && memcmp(buf, msg, sizeof(msg)) == 0 &&
              from.sin_port == htons(7) && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
          "udp-roundtrip", "sent %zd, got %zd \"%s\" from %s:%d", w, r, buf,
          inet_ntoa(from.sin_addr), ntohs(from.sin_port));

    tv = (struct timeval){0, 100000};
    setsockopt(cli, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    double t0 = now_s();
    r = recv(cli, buf, sizeof(buf), 0);
    int err = errno;
    double dt = now_s() - t0;
    check(r < 0 && err == EAGAIN && dt >= 0.09, "so-rcvtimeo",
          "recv returned %zd (%s) after %.0f ms", r, strerror(err), dt * 1000);
    r = recv(cli, buf, sizeof(buf), MSG_DONTWAIT);
    err = errno;
    check(r < 0 && err == EAGAIN, "msg-dontwait", "recv returned %zd (%s)", r, strerror(err));
    close(cli);
    close(srv);
}

/* MSG_WAITALL does not join datagrams: a UDP socket returns one per call,
 * each with its own sender, even when both are queued and the buffer has
 * room for more. */
static void test_udp_waitall(void)
{
    int srv = socket(AF_INET, SOCK_DGRAM, 0);
    int c1 = socket(AF_INET, SOCK_DGRAM, 0), c2 = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = loopback4(9), b1 = loopback4(9001), b2 = loopback4(9002);
    /* A joining recv would wait for more; the timeout ends that wait. */
    struct timeval tv = {1, 0};
    if (bind(srv, (struct sockaddr *)&a, sizeof(a)) < 0 ||
        bind(c1, (struct sockaddr *)&b1, sizeof(b1)) < 0 ||
        bind(c2, (struct sockaddr *)&b2, sizeof(b2)) < 0 ||
        setsockopt(srv, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
        check(0, "udp-waitall-one-datagram", "setup: %s", strerror(errno));
        return;
    }
    sendto(c1, "first", 5, 0, (struct sockaddr *)&a, sizeof(a));
    sendto(c2, "second", 6, 0, (struct sockaddr *)&a, sizeof(a));
    char buf[2][64] = {"", ""};
    struct sockaddr_in from[2] = {{0}, {0}};
    ssize_t r[2];
    for (int i = 0; i < 2; i++) {
        socklen_t len = sizeof(from[i]);
        r[i] = recvfrom(srv, buf[i], sizeof(buf[i]) - 1, MSG_WAITALL, (struct sockaddr *)&from[i],
                        &len);
        buf[i][r[i] > 0 ? r[i] : 0] = '\0';
    }
    check(r[0] == 5 && !strcmp(buf[0], "first") && from[0].sin_port == htons(9001) && r[1] == 6 &&
              !strcmp(buf[1], "second") && from[1].sin_port == htons(9002),
          "udp-waitall-one-datagram", "got %zd \"%s\" from port %d, then %zd \"%s\" from port %d",
          r[0], buf[0], ntohs(from[0].sin_port), r[1], buf[1], ntohs(from[1].sin_port));
    close(c1);
    close(c2);
    close(srv);
}

/* --- Readiness: select, poll timeouts, the console ---------------------- */

static void test_readiness(void)
{
    int ls = tcp_listener(9000);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback4(9000);
    fd_set rd;
    struct timeval tv = {0, 50000};
    FD_ZERO(&rd);
    FD_SET(ls, &rd);
    double t0 = now_s();
    int before = select(ls + 1, &rd, NULL, NULL, &tv);
    double dt = now_s() - t0;
    check(before == 0 && dt >= 0.045, "select-timeout", "select gave %d after %.0f ms", before,
          dt * 1000);

    connect(c, (struct sockaddr *)&a, sizeof(a));
    FD_ZERO(&rd);
    FD_SET(ls, &rd);
    tv = (struct timeval){2, 0};
    int after = select(ls + 1, &rd, NULL, NULL, &tv);
    check(after == 1 && FD_ISSET(ls, &rd), "select-accept-ready", "select gave %d", after);
    int s = accept(ls, NULL, NULL);

    struct pollfd p[2] = {{s, POLLIN, 0}, {c, POLLOUT, 0}};
    int n = poll(p, 2, 1000);
    check(n == 1 && p[0].revents == 0 && (p[1].revents & POLLOUT), "poll-writable",
          "poll gave %d, revents %#x %#x", n, p[0].revents, p[1].revents);

    write(c, "x", 1);
    p[1].events = 0;
    n = poll(p, 2, 1000);
    check(n == 1 && (p[0].revents & POLLIN), "poll-readable", "poll gave %d, revents %#x", n,
          p[0].revents);
    char ch;
    read(s, &ch, 1);

    t0 = now_s();
    n = poll(p, 1, 100);
    dt = now_s() - t0;
    check(n == 0 && dt >= 0.095, "poll-timeout", "poll gave %d after %.0f ms", n, dt * 1000);

    /* The console: always writable; stdin has no input in this test. */
    struct pollfd con[3] = {{0, POLLIN, 0}, {1, POLLOUT, 0}, {s, POLLIN, 0}};
    n = poll(con, 3, 100);
    check(n == 1 && con[0].revents == 0 && con[1].revents == POLLOUT && con[2].revents == 0,
          "poll-console", "poll gave %d, revents %#x %#x %#x", n, con[0].revents, con[1].revents,
          con[2].revents);
    t0 = now_s();
    n = poll(con, 1, 60); /* stdin alone: waits in the console's own queue */
    dt = now_s() - t0;
    check(n == 0 && dt >= 0.055, "poll-console-timeout", "poll gave %d after %.0f ms", n,
          dt * 1000);

    struct pollfd bad = {999, POLLIN, 0};
    n = poll(&bad, 1, 0);
    check(n == 1 && bad.revents == POLLNVAL, "poll-nval", "poll gave %d, revents %#x", n,
          bad.revents);

    struct sockaddr_in me, peer;
    socklen_t ml = sizeof(me), pl = sizeof(peer);
    getsockname(c, (struct sockaddr *)&me, &ml);
    getpeername(s, (struct sockaddr *)&peer, &pl);
    check(ml == sizeof(me) && pl == sizeof(peer) && me.sin_port == peer.sin_port &&
              me.sin_family == AF_INET && peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK),
          "getsockname-getpeername", "client %s:%d, server sees %d", inet_ntoa(me.sin_addr),
          ntohs(me.sin_port), ntohs(peer.sin_port));

    int one = 1, got = 0;
    socklen_t gl = sizeof(got);
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &got, &gl);
    int type = 0;
    gl = sizeof(type);
    getsockopt(c, SOL_SOCKET, SO_TYPE, &type, &gl);
    check(got == 1 && type == SOCK_STREAM, "sockopts", "TCP_NODELAY %d, SO_TYPE %d", got, type);
    close(c);
    close(s);
    close(ls);
}

/* --- Errors ---------------------------------------------------------------- */

static void test_errors(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback4(9); /* nobody listens there */
    int r = connect(s, (struct sockaddr *)&a, sizeof(a));
    int err = errno;
    check(r < 0 && err == ECONNREFUSED, "econnrefused", "connect gave %d (%s)", r, strerror(err));
    close(s);

    s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in far = {.sin_family = AF_INET, .sin_port = htons(80)};
    inet_pton(AF_INET, "10.0.2.2", &far.sin_addr);
    double t0 = now_s();
    r = connect(s, (struct sockaddr *)&far, sizeof(far));
    err = errno;
    /* No upper bound on the time: under an emulator it says nothing. A
     * connect that waited for a handshake would end in ETIMEDOUT instead. */
    check(r < 0 && err == ENETDOWN, "enetdown-tcp", "connect gave %d (%s) after %.0f ms", r,
          strerror(err), (now_s() - t0) * 1000);
    close(s);

    s = socket(AF_INET, SOCK_DGRAM, 0);
    ssize_t w = sendto(s, "x", 1, 0, (struct sockaddr *)&far, sizeof(far));
    err = errno;
    check(w < 0 && err == ENETDOWN, "enetdown-udp", "sendto gave %zd (%s)", w, strerror(err));
    close(s);

    char buf[4];
    r = (int)recv(1, buf, sizeof(buf), 0);
    err = errno;
    check(r < 0 && err == ENOTSOCK, "enotsock", "recv on stdout gave %d (%s)", r, strerror(err));
    r = socket(AF_INET, 12345, 0);
    check(r < 0 && errno == EINVAL, "bad-socket-type", "socket gave %d (%s)", r, strerror(errno));
}

/* --- IPv6 loopback ---------------------------------------------------------- */

static void *v6_server(void *arg)
{
    int c = accept(*(int *)arg, NULL, NULL);
    char buf[32];
    ssize_t n = read(c, buf, sizeof(buf));
    if (n > 0)
        write(c, buf, (size_t)n);
    close(c);
    return NULL;
}

static void test_ipv6(void)
{
    int ls = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 a = {
        .sin6_family = AF_INET6, .sin6_port = htons(7), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    pthread_t th;
    if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(ls, 1) < 0 ||
        pthread_create(&th, NULL, v6_server, &ls) != 0) {
        check(0, "tcp-ipv6-loopback", "listener: %s", strerror(errno));
        return;
    }
    int c = socket(AF_INET6, SOCK_STREAM, 0);
    char buf[32] = "";
    int r = connect(c, (struct sockaddr *)&a, sizeof(a));
    ssize_t w = write(c, "six", 4), n = read(c, buf, sizeof(buf));
    struct sockaddr_in6 me;
    socklen_t ml = sizeof(me);
    char text[INET6_ADDRSTRLEN] = "";
    getsockname(c, (struct sockaddr *)&me, &ml);
    inet_ntop(AF_INET6, &me.sin6_addr, text, sizeof(text));
    pthread_join(th, NULL);
    check(r == 0 && w == 4 && n == 4 && strcmp(buf, "six") == 0 && strcmp(text, "::1") == 0,
          "tcp-ipv6-loopback", "connect %d, echoed \"%s\", local address %s", r, buf, text);
    close(c);
    close(ls);
}

/* --- Names and address text -------------------------------------------------- */

static void test_names(void)
{
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    int r = getaddrinfo("127.0.0.1", "7", &hints, &res);
    struct sockaddr_in *sin = res ? (struct sockaddr_in *)res->ai_addr : NULL;
    check(r == 0 && res && !res->ai_next && res->ai_family == AF_INET &&
              res->ai_protocol == IPPROTO_TCP && sin->sin_port == htons(7) &&
              sin->sin_addr.s_addr == htonl(INADDR_LOOPBACK),
          "getaddrinfo-numeric", "%s", r ? gai_strerror(r) : "127.0.0.1 port 7");
    if (res) {
        char host[NI_MAXHOST], serv[NI_MAXSERV];
        r = getnameinfo(res->ai_addr, res->ai_addrlen, host, sizeof(host), serv, sizeof(serv),
                        NI_NUMERICHOST | NI_NUMERICSERV);
        check(r == 0 && strcmp(host, "127.0.0.1") == 0 && strcmp(serv, "7") == 0,
              "getnameinfo-numeric", "%s port %s", host, serv);
        freeaddrinfo(res);
    }
    hints = (struct addrinfo){.ai_flags = AI_PASSIVE, .ai_family = AF_INET6};
    r = getaddrinfo(NULL, "echo", &hints, &res);
    check(r == 0 && res->ai_family == AF_INET6 && res->ai_next &&
              ((struct sockaddr_in6 *)res->ai_addr)->sin6_port == htons(7) &&
              IN6_IS_ADDR_UNSPECIFIED(&((struct sockaddr_in6 *)res->ai_addr)->sin6_addr),
          "getaddrinfo-passive", "%s", r ? gai_strerror(r) : "[::]:7, stream and dgram");
    if (r == 0)
        freeaddrinfo(res);
    r = getaddrinfo("no.such.host.example", "7", NULL, &res);
    check(r == EAI_AGAIN, "getaddrinfo-no-network", "%s", gai_strerror(r));
    r = getaddrinfo("1.2.3.4", "http", &(struct addrinfo){.ai_flags = AI_NUMERICSERV}, &res);
    check(r == EAI_NONAME, "getaddrinfo-numericserv", "%s", gai_strerror(r));

    static const char *v6[][2] = {
        {"::1", "::1"},
        {"::", "::"},
        {"fe80:0:0:0:0:0:0:1", "fe80::1"},
        {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
        {"::ffff:1.2.3.4", "::ffff:1.2.3.4"},
        {"1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8"},
        {"1::", "1::"},
    };
    int ok = 1;
    char text[INET6_ADDRSTRLEN], bad[80] = "";
    for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++) {
        struct in6_addr a6;
        if (inet_pton(AF_INET6, v6[i][0], &a6) != 1 ||
            !inet_ntop(AF_INET6, &a6, text, sizeof(text)) || strcmp(text, v6[i][1]) != 0) {
            ok = 0;
            snprintf(bad, sizeof(bad), "%s -> %s", v6[i][0], text);
        }
    }
    struct in_addr a4;
    ok &= inet_pton(AF_INET, "256.1.1.1", &a4) == 0 && inet_pton(AF_INET6, "1:::2", text) == 0 &&
          inet_addr("10.1") == htonl(0x0a000001) && inet_aton("0x7f.1", &a4) &&
          a4.s_addr == htonl(0x7f000001) && inet_addr("1.2.3.4.5") == INADDR_NONE;
    check(ok, "inet-text", "%s", *bad ? bad : "pton/ntop/aton/addr");
}

/* "nettest console": block in poll() on a listening socket and stdin until
 * a line is typed; console input must end the socket wait. */
static int console_mode(void)
{
    int ls = tcp_listener(7);
    struct pollfd p[2] = {{ls, POLLIN, 0}, {0, POLLIN, 0}};
    printf("nettest: waiting for console input\n");
    fflush(stdout);
    double t0 = now_s();
    int n = poll(p, 2, 20000);
    char line[64] = "";
    ssize_t r = (n == 1 && (p[1].revents & POLLIN)) ? read(0, line, sizeof(line) - 1) : -1;
    line[r > 0 ? r : 0] = '\0';
    line[strcspn(line, "\r\n")] = '\0';
    printf("nettest: poll gave %d after %.1f s, console read \"%s\"\n", n, now_s() - t0, line);
    return r > 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "console") == 0)
        return console_mode();
    test_tcp_megabyte();
    test_udp();
    test_udp_waitall();
    test_readiness();
    test_errors();
    test_ipv6();
    test_names();
    return checks_done();
}
