/* echo: the RFC 862 echo service on TCP and UDP (port 7, or argv[1]). Each
 * TCP client gets a thread of its own; one thread answers UDP datagrams. A
 * small example of a network service written against plain POSIX sockets.
 *   make APP=echo run        then: nc 127.0.0.1 8007 */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int open_socket(int type, int port)
{
    int one = 1, s = socket(AF_INET, type, 0);
    struct sockaddr_in a = {
        .sin_family = AF_INET, .sin_port = htons((uint16_t)port), .sin_addr = {htonl(INADDR_ANY)}};
    if (s < 0 || setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
        bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 ||
        (type == SOCK_STREAM && listen(s, SOMAXCONN) < 0)) {
        fprintf(stderr, "echo: %s port %d: %s\n", type == SOCK_STREAM ? "tcp" : "udp", port,
                strerror(errno));
        exit(1);
    }
    return s;
}

/* One TCP client: send back everything until it closes. */
static void *serve_client(void *arg)
{
    int c = (int)(intptr_t)arg;
    char buf[4096];
    ssize_t n;
    while ((n = read(c, buf, sizeof(buf))) > 0) {
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(c, buf + off, (size_t)(n - off));
            if (w < 0)
                goto done;
            off += w;
        }
    }
done:
    close(c);
    return NULL;
}

static void *serve_udp(void *arg)
{
    int s = (int)(intptr_t)arg;
    char buf[65536];
    for (;;) {
        struct sockaddr_storage from;
        socklen_t len = sizeof(from);
        ssize_t n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
        if (n >= 0)
            sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int port = argc > 1 ? atoi(argv[1]) : 7;
    if (port <= 0 || port > 65535) {
        fprintf(stderr, "usage: echo [port]\n");
        return 2;
    }
    int ts = open_socket(SOCK_STREAM, port), us = open_socket(SOCK_DGRAM, port);
    pthread_attr_t detached;
    pthread_attr_init(&detached);
    pthread_attr_setdetachstate(&detached, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&detached, 128 * 1024); /* the 64 KiB datagram buffer */
    pthread_t t;
    if (pthread_create(&t, &detached, serve_udp, (void *)(intptr_t)us) != 0) {
        fprintf(stderr, "echo: cannot start the UDP thread\n");
        return 1;
    }
    pthread_attr_setstacksize(&detached, 32 * 1024);
    printf("echo: listening on tcp and udp port %d\n", port);
    fflush(stdout);
    for (;;) {
        int c = accept(ts, NULL, NULL);
        if (c < 0) {
            fprintf(stderr, "echo: accept: %s\n", strerror(errno));
            usleep(10000); /* e.g. out of descriptors: let clients finish */
            continue;
        }
        if (pthread_create(&t, &detached, serve_client, (void *)(intptr_t)c) != 0) {
            fprintf(stderr, "echo: too many clients; closing one\n");
            close(c);
        }
    }
}
