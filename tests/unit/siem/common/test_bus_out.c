/* The bus client's output (apps/siem/common/bus_out.c) against the fake
 * server: coalesced publishes arrive complete and in order, a message
 * larger than the buffer, bus_flush, and what a reconnect sends first. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bus.h"
#include "bus_out.h"
#include "fake_nats.h"

/* N publishes of "PUB t.<i> ..." from one thread that never blocks: they
 * arrive complete and in the order of the calls, in far fewer writes than
 * messages (each write takes the flusher microseconds, a publish a
 * fraction of one, so even a flusher that runs beside the publisher all
 * the time finds dozens waiting). */
START_TEST(publishes_coalesce_in_order)
{
    struct server s;
    struct bus *b = fake_start(&s, NULL);
    enum { N = 2000 };
    unsigned long writes = bus_writes(b);
    char subject[32], data[32];
    for (int i = 0; i < N; i++) {
        snprintf(subject, sizeof(subject), "t.%d", i);
        int len = snprintf(data, sizeof(data), "m%d", i);
        ck_assert_int_eq(bus_publish(b, subject, NULL, i % 2 ? "id" : NULL, data, (size_t)len), 0);
    }
    snprintf(data, sizeof(data), "\r\nm%d\r\n", N - 1);
    fake_read_until(&s, data);
    const char *p = strstr(s.got, "PUB t.0 "), *hdr = "NATS/1.0\r\nNats-Msg-Id: id\r\n\r\n";
    for (int i = 0; i < N; i++) {
        char want[96];
        int dlen = snprintf(data, sizeof(data), "m%d", i);
        if (i % 2)
            snprintf(want, sizeof(want), "HPUB t.%d %zu %zu\r\n%s%s\r\n", i, strlen(hdr),
                     strlen(hdr) + (size_t)dlen, hdr, data);
        else
            snprintf(want, sizeof(want), "PUB t.%d %d\r\n%s\r\n", i, dlen, data);
        const char *at = strstr(p, want);
        ck_assert_msg(at == p, "message %d is not next: %.60s", i, p);
        p += strlen(want);
    }
    ck_assert_ptr_eq(p, s.got + s.len);
    unsigned long used = bus_writes(b) - writes;
    ck_assert_uint_ge(used, 1);
    /* On Linux the flusher runs beside the publisher, so how many
     * publishes share a write depends on scheduling (a quiet machine
     * gave 1,091 writes for 2,000); under the image's cooperative
     * scheduler a burst leaves in one write (make bench-siem). */
    ck_assert_msg(used < N, "%lu writes for %d publishes", used, N);
}
END_TEST

/* A message larger than the whole buffer goes out between the small ones
 * published before and after it, byte for byte. */
START_TEST(large_message_keeps_its_place)
{
    struct server s;
    struct bus *b = fake_start(&s, NULL);
    size_t big = 3 * BUS_OUT_SIZE + 17;
    char *data = malloc(big);
    for (size_t i = 0; i < big; i++)
        data[i] = (char)('a' + i % 26);
    ck_assert_int_eq(bus_publish(b, "before", NULL, NULL, "1", 1), 0);
    ck_assert_int_eq(bus_publish(b, "big", NULL, NULL, data, big), 0);
    ck_assert_int_eq(bus_publish(b, "after", NULL, NULL, "2", 1), 0);
    /* One that just does not fit in what is left of the buffer. */
    size_t fill = BUS_OUT_SIZE - 100;
    char *near = malloc(fill);
    memset(near, 'n', fill);
    ck_assert_int_eq(bus_publish(b, "near", NULL, NULL, near, fill), 0);
    ck_assert_int_eq(bus_publish(b, "last", NULL, NULL, "3", 1), 0);
    fake_read_until(&s, "PUB last 1\r\n3\r\n");
    const char *p = strstr(s.got, "PUB before 1\r\n1\r\n");
    ck_assert_ptr_nonnull(p);
    p += strlen("PUB before 1\r\n1\r\n");
    char head[64];
    snprintf(head, sizeof(head), "PUB big %zu\r\n", big);
    ck_assert_int_eq(strncmp(p, head, strlen(head)), 0);
    p += strlen(head);
    ck_assert(memcmp(p, data, big) == 0);
    p += big;
    ck_assert_int_eq(strncmp(p, "\r\nPUB after 1\r\n2\r\n", 18), 0);
    p += 18;
    snprintf(head, sizeof(head), "PUB near %zu\r\n", fill);
    ck_assert_int_eq(strncmp(p, head, strlen(head)), 0);
    p += strlen(head);
    ck_assert(memcmp(p, near, fill) == 0);
    ck_assert_str_eq(p + fill, "\r\nPUB last 1\r\n3\r\n");
    free(data);
    free(near);
}
END_TEST

/* Once bus_flush returns, what was published is on the socket: the
 * server reads it without waiting for anything. */
START_TEST(flush_writes_everything)
{
    struct server s;
    struct bus *b = fake_start(&s, NULL);
    for (int round = 0; round < 50; round++) {
        char data[32];
        int len = snprintf(data, sizeof(data), "flushed-%d", round);
        ck_assert_int_eq(bus_publish(b, "f", NULL, NULL, data, (size_t)len), 0);
        ck_assert_int_eq(bus_flush(b), 0);
        char want[64];
        snprintf(want, sizeof(want), "PUB f %d\r\n%s\r\n", len, data);
        /* Loopback delivers what a send wrote before the send returns. */
        while (!strstr(s.got, want)) {
            ssize_t n = recv(s.fd, s.got + s.len, FAKE_GOT_SIZE - 1 - s.len, MSG_DONTWAIT);
            ck_assert_msg(n > 0, "round %d: not on the socket after bus_flush", round);
            s.len += (size_t)n;
            s.got[s.len] = '\0';
        }
    }
    ck_assert_int_eq(bus_flush(b), 0); /* nothing left: still fine */
}
END_TEST

static int lost_reply = -1;
static void on_reply(void *ctx, struct bus_msg *m)
{
    (void)ctx;
    lost_reply = m != NULL;
    bus_msg_free(m);
}

/* The server goes away: publishing fails with ENOTCONN, a request in
 * flight fails at once, and the new connection starts with every
 * subscription and the inbox's, before anything published after it. */
START_TEST(reconnect_subscribes_first)
{
    struct server s;
    struct bus *b = fake_start(&s, NULL);
    struct bus_queue *q = bus_subscribe(b, "x.y");
    ck_assert_ptr_nonnull(q);
    fake_read_until(&s, "SUB x.y 1\r\n");
    ck_assert_int_eq(bus_request_async(b, "svc", NULL, "?", 1, 60000, on_reply, NULL), 0);
    fake_read_until(&s, "PUB svc _INBOX.siem-test.");
    close(s.fd);
    struct timespec pause = {0, 10 * 1000 * 1000};
    for (int i = 0; i < 500 && bus_connected(b); i++)
        nanosleep(&pause, NULL);
    ck_assert_int_eq(bus_connected(b), 0);
    for (int i = 0; i < 500 && lost_reply < 0; i++)
        nanosleep(&pause, NULL);
    ck_assert_int_eq(lost_reply, 0); /* called, with no reply */
    errno = 0;
    ck_assert_int_eq(bus_publish(b, "while.down", NULL, NULL, "x", 1), -1);
    ck_assert_int_eq(errno, ENOTCONN);
    ck_assert_int_eq(bus_flush(b), -1);
    fake_accept(&s);
    for (int i = 0; i < 500 && !bus_connected(b); i++)
        nanosleep(&pause, NULL);
    ck_assert_int_eq(bus_connected(b), 1);
    ck_assert_uint_eq(bus_reconnects(b), 1);
    ck_assert_int_eq(bus_publish(b, "after", NULL, NULL, "y", 1), 0);
    fake_read_until(&s, "PUB after 1\r\ny\r\n");
    const char *sub = strstr(s.got, "SUB x.y 1\r\n");
    const char *inbox = strstr(s.got, "SUB _INBOX.siem-test.");
    const char *after = strstr(s.got, "PUB after");
    ck_assert_ptr_nonnull(sub);
    ck_assert_ptr_nonnull(inbox);
    ck_assert(sub < inbox && inbox < after);
    ck_assert_ptr_null(strstr(s.got, "while.down"));
    ck_assert_ptr_null(strstr(s.got, "PUB svc"));
    /* Messages reach the renewed subscription. */
    fake_say(&s, "MSG x.y 1 2\r\nok\r\n");
    struct bus_msg *m = bus_queue_pop(q, 5000);
    ck_assert_ptr_nonnull(m);
    ck_assert_str_eq(m->data, "ok");
    bus_msg_free(m);
}
END_TEST

Suite *bus_out_suite(void)
{
    Suite *s = suite_create("bus-out");
    TCase *tc = tcase_create("bus-out");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, publishes_coalesce_in_order);
    tcase_add_test(tc, large_message_keeps_its_place);
    tcase_add_test(tc, flush_writes_everything);
    tcase_add_test(tc, reconnect_subscribes_first);
    suite_add_tcase(s, tc);
    return s;
}
