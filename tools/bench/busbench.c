/* The bus client's rates against a real nats-server, as a Linux program
 * (tools/bench/busbench.sh runs it): core publishes, publishes received
 * back through a subscription, and JetStream publishes with many
 * acknowledgements in flight; with the client's and the server's CPU time
 * per message. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bus.h"

static int server_pid;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double self_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* nats-server's user + system time, from /proc/PID/stat. */
static double server_cpu_s(void)
{
    char path[64], text[1024];
    snprintf(path, sizeof(path), "/proc/%d/stat", server_pid);
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
    if (f)
        fclose(f);
    text[n] = '\0';
    const char *p = strrchr(text, ')');
    unsigned long long utime = 0, stime = 0;
    if (!p ||
        sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) != 2)
        return 0;
    return (double)(utime + stime) / (double)sysconf(_SC_CLK_TCK);
}

struct sample {
    double t, self, server;
};

static struct sample sample(void)
{
    struct sample s = {now_s(), self_cpu_s(), server_cpu_s()};
    return s;
}

static void report(const char *what, int n, struct sample a, struct sample b)
{
    printf("%-28s %8d msgs %9.0f msgs/s  client %6.2f us/msg  nats-server %6.2f us/msg\n", what, n,
           n / (b.t - a.t), (b.self - a.self) * 1e6 / n, (b.server - a.server) * 1e6 / n);
}

/* A round trip: the server answers (503, nobody listens) only after it
 * read everything published before. */
static void sync_with_server(struct bus *b)
{
    struct bus_msg *m = NULL;
    if (bus_request(b, "bench.sync", NULL, "", 0, 30000, &m) == 0)
        bus_msg_free(m);
    else if (errno != ENOENT)
        fprintf(stderr, "busbench: sync: %s\n", strerror(errno));
}

static void publish_only(struct bus *b, int n, size_t size)
{
    char *data = malloc(size);
    memset(data, 'x', size);
    struct sample a = sample();
    for (int i = 0; i < n; i++) {
        while (bus_publish(b, "bench.nobody", NULL, NULL, data, size) < 0)
            usleep(1000);
    }
    sync_with_server(b);
    char what[64];
    snprintf(what, sizeof(what), "publish %zu B", size);
    report(what, n, a, sample());
    free(data);
}

struct echo {
    struct bus_queue *q;
    int n, got;
};

static void *drain(void *arg)
{
    struct echo *e = arg;
    while (e->got < e->n) {
        struct bus_msg *m = bus_queue_pop(e->q, 10000);
        if (!m)
            break;
        e->got++;
        bus_msg_free(m);
    }
    return NULL;
}

/* Publishes to a subject this connection subscribes to: the server sends
 * every message back, through the receive path. */
static void publish_and_receive(struct bus *b, int n, size_t size)
{
    char *data = malloc(size);
    memset(data, 'y', size);
    struct echo e = {bus_subscribe(b, "bench.echo"), n, 0};
    sync_with_server(b);
    pthread_t t;
    pthread_create(&t, NULL, drain, &e);
    struct sample a = sample();
    for (int i = 0; i < n; i++) {
        while (bus_publish(b, "bench.echo", NULL, NULL, data, size) < 0)
            usleep(1000);
    }
    pthread_join(t, NULL);
    char what[64];
    snprintf(what, sizeof(what), "publish+receive %zu B", size);
    report(what, e.got, a, sample());
    if (e.got != n)
        printf("  only %d of %d came back (dropped %lu)\n", e.got, n, bus_dropped(b));
    bus_unsubscribe(e.q);
    free(data);
}

static pthread_mutex_t js_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t js_room = PTHREAD_COND_INITIALIZER;
static int js_inflight, js_acked, js_failed;

static void on_ack(void *ctx, struct bus_msg *m)
{
    (void)ctx;
    pthread_mutex_lock(&js_lock);
    if (m && !m->status && strstr(m->data, "\"seq\""))
        js_acked++;
    else
        js_failed++;
    js_inflight--;
    pthread_cond_signal(&js_room);
    pthread_mutex_unlock(&js_lock);
    bus_msg_free(m);
}

/* JetStream publishes with window acknowledgements in flight, each with
 * its own Nats-Msg-Id, as the normaliser publishes events. */
static void jetstream(struct bus *b, int n, size_t size, int window)
{
    struct bus_msg *m = NULL;
    const char *cfg = "{\"name\":\"BENCH\",\"subjects\":[\"bench.js.>\"],\"storage\":\"memory\"}";
    if (bus_request(b, "$JS.API.STREAM.CREATE.BENCH", NULL, cfg, strlen(cfg), 5000, &m) < 0) {
        fprintf(stderr, "busbench: cannot create the stream: %s\n", strerror(errno));
        return;
    }
    bus_msg_free(m);
    char *data = malloc(size);
    memset(data, 'z', size);
    char id[32];
    struct sample a = sample();
    for (int i = 0; i < n; i++) {
        pthread_mutex_lock(&js_lock);
        while (js_inflight >= window)
            pthread_cond_wait(&js_room, &js_lock);
        js_inflight++;
        pthread_mutex_unlock(&js_lock);
        snprintf(id, sizeof(id), "bench-%d", i);
        while (bus_request_async(b, "bench.js.x", id, data, size, 10000, on_ack, NULL) < 0)
            usleep(1000);
    }
    pthread_mutex_lock(&js_lock);
    while (js_inflight > 0)
        pthread_cond_wait(&js_room, &js_lock);
    pthread_mutex_unlock(&js_lock);
    char what[64];
    snprintf(what, sizeof(what), "jetstream %zu B, %d in flight", size, window);
    report(what, n, a, sample());
    if (js_failed)
        printf("  %d not acknowledged\n", js_failed);
    free(data);
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: busbench HOST:PORT SERVER_PID N\n");
        return 2;
    }
    server_pid = atoi(argv[2]);
    int n = atoi(argv[3]);
    struct bus *b = bus_connect(argv[1], "busbench", NULL);
    if (!b)
        return 1;
    publish_only(b, n, 16);
    publish_only(b, n, 512);
    publish_and_receive(b, n, 512);
    jetstream(b, n / 10, 512, 256);
    return 0;
}
