/* The bus's pending requests (apps/siem/common/bus_pending.c): found by id
 * among thousands, looked through only when one is due; and through the
 * client, a thousand requests in flight answered in reverse order, each
 * reaching its own caller, while one that times out fails alone. */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bus.h"
#include "bus_pending.h"
#include "fake_nats.h"

START_TEST(set_finds_by_id_and_scans_when_due)
{
    enum { N = 5000 };
    static struct pending_set set;
    struct pending *p = calloc(N, sizeof(*p));
    pending_init(&set);
    for (int i = 0; i < N; i++) {
        p[i].id = (uint64_t)i + 1;
        p[i].deadline_ns = 1000 + (i % 10) * 100; /* 1000 .. 1900 */
        pending_add(&set, &p[i]);
    }
    ck_assert_uint_eq(set.count, N);
    /* Every third, from the end: each found, once. */
    for (int i = N - 1; i >= 0; i -= 3) {
        ck_assert_ptr_eq(pending_take(&set, (uint64_t)i + 1), &p[i]);
        ck_assert_ptr_null(pending_take(&set, (uint64_t)i + 1));
    }
    ck_assert_ptr_null(pending_take(&set, N + 1));
    size_t left = set.count;
    ck_assert_uint_eq(left, N - (N + 2) / 3);
    /* Nothing due before the earliest deadline: no look at all. */
    ck_assert_ptr_null(pending_take_due(&set, 999));
    ck_assert_uint_eq(set.scans, 0);
    /* At 1000 the tenth due go, in one look; the next look waits for 1100. */
    size_t due = 0;
    for (struct pending *d = pending_take_due(&set, 1000); d; d = d->next) {
        ck_assert_int_le(d->deadline_ns, 1000);
        due++;
    }
    ck_assert_uint_eq(set.scans, 1);
    ck_assert_uint_eq(set.count, left - due);
    ck_assert_uint_gt(due, 300);
    ck_assert_ptr_null(pending_take_due(&set, 1099));
    ck_assert_uint_eq(set.scans, 1);
    /* Removing by pointer, then everything at once. */
    pending_remove(&set, &p[2]); /* not taken, not due yet */
    pending_remove(&set, &p[2]); /* not taken, not due yet */
    ck_assert_uint_eq(set.count, left - due - 1);
    size_t rest = 0;
    for (struct pending *d = pending_take_due(&set, INT64_MAX); d; d = d->next)
        rest++;
    ck_assert_uint_eq(rest, left - due - 1);
    ck_assert_uint_eq(set.count, 0);
    free(p);
}
END_TEST

struct call {
    int index;
    int answered; /* 1: its own reply, 2: no reply (timed out), -1: another's */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int finished;

static void on_reply(void *ctx, struct bus_msg *m)
{
    struct call *c = ctx;
    char want[32];
    snprintf(want, sizeof(want), "a%d", c->index);
    pthread_mutex_lock(&lock);
    c->answered = !m ? 2 : strcmp(m->data, want) == 0 ? 1 : -1;
    finished++;
    pthread_mutex_unlock(&lock);
    bus_msg_free(m);
}

static int finished_now(void)
{
    pthread_mutex_lock(&lock);
    int n = finished;
    pthread_mutex_unlock(&lock);
    return n;
}

START_TEST(replies_in_any_order_reach_their_callers)
{
    enum { N = 1000 };
    struct server s;
    struct bus *b = fake_start(&s, NULL);
    static struct call calls[N + 1];
    char data[32], reply[N][96];
    for (int i = 0; i <= N; i++) {
        calls[i].index = i;
        int len = snprintf(data, sizeof(data), "q%d", i);
        /* The last one times out: nobody answers it. */
        ck_assert_int_eq(bus_request_async(b, "svc", NULL, data, (size_t)len, i == N ? 300 : 60000,
                                           on_reply, &calls[i]),
                         0);
    }
    snprintf(data, sizeof(data), "\r\nq%d\r\n", N);
    fake_read_until(&s, data);
    /* The reply subjects, in the order the requests went out. */
    const char *p = s.got;
    for (int i = 0; i < N; i++) {
        p = strstr(p, "PUB svc ");
        ck_assert_ptr_nonnull(p);
        ck_assert_int_eq(sscanf(p, "PUB svc %95s", reply[i]), 1);
        p += 8;
    }
    struct timespec pause = {0, 10 * 1000 * 1000};
    for (int i = 0; i < 300 && finished_now() < 1; i++)
        nanosleep(&pause, NULL);
    pthread_mutex_lock(&lock);
    ck_assert_int_eq(finished, 1);
    ck_assert_int_eq(calls[N].answered, 2);
    pthread_mutex_unlock(&lock);
    for (int i = N - 1; i >= 0; i--) {
        char msg[160];
        int len = snprintf(data, sizeof(data), "a%d", i);
        snprintf(msg, sizeof(msg), "MSG %s 0 %d\r\n%s\r\n", reply[i], len, data);
        fake_say(&s, msg);
    }
    fake_sync(&s);
    ck_assert_int_eq(finished_now(), N + 1);
    for (int i = 0; i < N; i++)
        ck_assert_msg(calls[i].answered == 1, "request %d: %d", i, calls[i].answered);
}
END_TEST

Suite *bus_pending_suite(void)
{
    Suite *s = suite_create("bus-pending");
    TCase *tc = tcase_create("bus-pending");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, set_finds_by_id_and_scans_when_due);
    tcase_add_test(tc, replies_in_any_order_reach_their_callers);
    suite_add_tcase(s, tc);
    return s;
}
