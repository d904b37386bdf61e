/* The pull consumer (apps/siem/common/pull.c) and the request responder
 * (serve.c) against the fake NATS server: a full batch and the pipelined
 * next request, a short batch ended by the idle time, a batch ended by a
 * status message, acks one by one in one write and AckAll, error replies
 * with their header. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bus.h"
#include "fake_nats.h"
#include "pull.h"
#include "serve.h"

#define NEXT "PUB $JS.API.CONSUMER.MSG.NEXT.S.C "

static long long ms_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A pull consumer on S/C whose first pull request the server has read:
 * its inbox and that subscription's sid. */
static struct pull *open_pull(struct server *s, struct pull_opts *o, char inbox[96], int *sid)
{
    struct bus *b = fake_start(s, NULL);
    struct pull *p = pull_new(b, "S", "C", o);
    ck_assert_ptr_nonnull(p);
    struct bus_msg *none[16];
    ck_assert_int_eq(pull_fetch(p, none, 0), 0); /* sends the request */
    fake_read_until(s, NEXT);
    fake_read_until(s, "\r\n{\"batch\":");
    const char *at = strstr(s->got, NEXT) + strlen(NEXT);
    ck_assert_int_eq(sscanf(at, "%95s", inbox), 1);
    char sub[128];
    snprintf(sub, sizeof(sub), "SUB %s ", inbox);
    const char *line = strstr(s->got, sub);
    ck_assert_ptr_nonnull(line);
    *sid = atoi(line + strlen(sub));
    char want[64];
    snprintf(want, sizeof(want), "{\"batch\":%d,", o->batch);
    ck_assert_ptr_nonnull(strstr(s->got, want));
    return p;
}

/* Delivers message i of stream sequence i with an ack subject. */
static void deliver(struct server *s, const char *inbox, int sid, int i)
{
    char msg[256], data[24];
    int n = snprintf(data, sizeof(data), "m%d", i);
    snprintf(msg, sizeof(msg), "MSG %s %d $JS.ACK.S.C.1.%d.%d.1700000000000000000.0 %d\r\n%s\r\n",
             inbox, sid, i, i, n, data);
    fake_say(s, msg);
}

static void status(struct server *s, const char *inbox, int sid, const char *line)
{
    char hdr[96], msg[256];
    int h = snprintf(hdr, sizeof(hdr), "NATS/1.0 %s\r\n\r\n", line);
    snprintf(msg, sizeof(msg), "HMSG %s %d %d %d\r\n%s\r\n", inbox, sid, h, h, hdr);
    fake_say(s, msg);
}

START_TEST(full_batch_then_next_request)
{
    struct server s;
    struct pull_opts o = {.batch = 3, .expires_ms = 1000, .idle_ms = 5};
    char inbox[96];
    int sid;
    struct pull *p = open_pull(&s, &o, inbox, &sid);
    for (int i = 1; i <= 3; i++)
        deliver(&s, inbox, sid, i);
    fake_sync(&s);
    struct bus_msg *got[3];
    ck_assert_int_eq(pull_fetch(p, got, 1000), 3);
    for (int i = 0; i < 3; i++) {
        char want[24];
        snprintf(want, sizeof(want), "m%d", i + 1);
        ck_assert_str_eq(got[i]->data, want);
        bus_msg_free(got[i]);
    }
    /* The batch was full: the next request went out before fetch returned. */
    fake_read_count(&s, NEXT, 2);
    pull_free(p);
}
END_TEST

START_TEST(idle_time_ends_a_short_batch)
{
    struct server s;
    struct pull_opts o = {.batch = 10, .expires_ms = 5000, .idle_ms = 5};
    char inbox[96];
    int sid;
    struct pull *p = open_pull(&s, &o, inbox, &sid);
    deliver(&s, inbox, sid, 1);
    deliver(&s, inbox, sid, 2);
    fake_sync(&s);
    struct bus_msg *got[10];
    long long t0 = ms_now();
    ck_assert_int_eq(pull_fetch(p, got, 4000), 2);
    ck_assert_int_lt(ms_now() - t0, 1000); /* not the request's expiry, not the timeout */
    bus_msg_free(got[0]);
    bus_msg_free(got[1]);
    /* The request may still deliver 8: no second one. */
    fake_sync(&s);
    ck_assert_int_eq(fake_count(&s, NEXT), 1);
    /* Nothing more: an empty fetch waits its timeout and gives 0. */
    t0 = ms_now();
    ck_assert_int_eq(pull_fetch(p, got, 100), 0);
    ck_assert_int_ge(ms_now() - t0, 90);
    pull_free(p);
}
END_TEST

START_TEST(status_ends_the_request)
{
    struct server s;
    struct pull_opts o = {.batch = 10, .expires_ms = 5000, .idle_ms = 2000};
    char inbox[96];
    int sid;
    struct pull *p = open_pull(&s, &o, inbox, &sid);
    deliver(&s, inbox, sid, 1);
    status(&s, inbox, sid, "408 Request Timeout");
    fake_sync(&s);
    struct bus_msg *got[10];
    long long t0 = ms_now();
    ck_assert_int_eq(pull_fetch(p, got, 4000), 1);
    ck_assert_int_lt(ms_now() - t0, 1000); /* the status, not the idle time */
    bus_msg_free(got[0]);
    fake_read_count(&s, NEXT, 2); /* the next request, pipelined */
    ck_assert_uint_eq(pull_statuses(p), 1);
    /* A request that expires empty while time is left: the fetch asks
     * again and goes on waiting. */
    status(&s, inbox, sid, "408 Request Timeout");
    fake_sync(&s);
    ck_assert_int_eq(pull_fetch(p, got, 300), 0);
    fake_read_count(&s, NEXT, 3);
    /* A refused request (409) with nothing delivered: a pause, not a spin. */
    status(&s, inbox, sid, "409 Exceeded MaxWaiting");
    fake_sync(&s);
    t0 = ms_now();
    ck_assert_int_eq(pull_fetch(p, got, 5000), 0);
    ck_assert_int_ge(ms_now() - t0, 90);
    fake_sync(&s);
    ck_assert_int_eq(fake_count(&s, NEXT), 4);
    pull_free(p);
}
END_TEST

START_TEST(ack_batch_acks_each_in_one_write)
{
    struct server s;
    struct pull_opts o = {.batch = 3, .expires_ms = 1000, .idle_ms = 5};
    char inbox[96];
    int sid;
    struct pull *p = open_pull(&s, &o, inbox, &sid);
    for (int i = 1; i <= 3; i++)
        deliver(&s, inbox, sid, i);
    fake_sync(&s);
    struct bus_msg *got[3];
    ck_assert_int_eq(pull_fetch(p, got, 1000), 3);
    ck_assert_int_eq(pull_ack_batch(p, got, 3), 0);
    fake_read_count(&s, "+ACK", 3);
    const char *a1 = strstr(s.got, "PUB $JS.ACK.S.C.1.1.1.1700000000000000000.0 4\r\n+ACK\r\n");
    const char *a2 = strstr(s.got, "PUB $JS.ACK.S.C.1.2.2.1700000000000000000.0 4\r\n+ACK\r\n");
    const char *a3 = strstr(s.got, "PUB $JS.ACK.S.C.1.3.3.1700000000000000000.0 4\r\n+ACK\r\n");
    ck_assert_ptr_nonnull(a1);
    ck_assert_ptr_nonnull(a2);
    ck_assert_ptr_nonnull(a3);
    ck_assert(a1 < a2 && a2 < a3);
    /* One message alone too. */
    ck_assert_int_eq(pull_ack(p, got[1]), 0);
    fake_read_count(&s, "+ACK", 4);
    for (int i = 0; i < 3; i++)
        bus_msg_free(got[i]);
    pull_free(p);
}
END_TEST

START_TEST(ack_all_acks_the_last)
{
    struct server s;
    struct pull_opts o = {.batch = 3, .expires_ms = 1000, .idle_ms = 5, .ack_all = 1};
    char inbox[96];
    int sid;
    struct pull *p = open_pull(&s, &o, inbox, &sid);
    for (int i = 1; i <= 3; i++)
        deliver(&s, inbox, sid, i);
    fake_sync(&s);
    struct bus_msg *got[3];
    ck_assert_int_eq(pull_fetch(p, got, 1000), 3);
    ck_assert_int_eq(pull_ack_batch(p, got, 3), 0);
    fake_sync(&s); /* the ack was written before the PONG */
    ck_assert_int_eq(fake_count(&s, "+ACK"), 1);
    ck_assert_ptr_nonnull(strstr(s.got, "PUB $JS.ACK.S.C.1.3.3.1700000000000000000.0 4\r\n+ACK"));
    for (int i = 0; i < 3; i++)
        bus_msg_free(got[i]);
    pull_free(p);
}
END_TEST

/* The responder's handler: "big" asks for a body larger than max, "fail"
 * for an error, anything else is echoed. */
static void handler(void *ctx, const struct bus_msg *req, size_t max, struct serve_reply *r)
{
    (void)ctx;
    if (strcmp(req->data, "fail") == 0) {
        snprintf(r->error, sizeof(r->error), "no such\nthing");
        return;
    }
    r->len = strcmp(req->data, "big") == 0 ? max + 1 : req->len;
    r->body = calloc(1, r->len + 1);
    memcpy(r->body, req->data, req->len);
}

START_TEST(serve_replies_and_errors)
{
    struct server s;
    struct bus *b = fake_start(&s, NULL);
    struct serve *sv = serve_start(b, "test", "q.ask", handler, NULL);
    fake_read_until(&s, "SUB q.ask ");
    int sid = atoi(strstr(s.got, "SUB q.ask ") + 10);
    char msg[128];
    snprintf(msg, sizeof(msg), "MSG q.ask %d reply.1 5\r\nhello\r\n", sid);
    fake_say(&s, msg);
    fake_read_until(&s, "PUB reply.1 5\r\nhello\r\n");
    /* An error: a header the asker can read without the body, one line. */
    snprintf(msg, sizeof(msg), "MSG q.ask %d reply.2 4\r\nfail\r\n", sid);
    fake_say(&s, msg);
    fake_read_until(&s, "{\"error\":\"no such thing\"}\r\n");
    ck_assert_ptr_nonnull(strstr(s.got, "HPUB reply.2 "));
    ck_assert_ptr_nonnull(strstr(s.got, "NATS/1.0\r\nSiem-Error: no such thing\r\n\r\n"));
    /* Too large for the bus: an error reply, not silence. */
    snprintf(msg, sizeof(msg), "MSG q.ask %d reply.3 3\r\nbig\r\n", sid);
    fake_say(&s, msg);
    fake_read_until(&s, "HPUB reply.3 ");
    fake_read_until(&s, "Siem-Error: the reply of ");
    ck_assert_uint_eq(serve_requests(sv), 3);
    ck_assert_uint_eq(serve_errors(sv), 2);
}
END_TEST

Suite *pull_suite(void)
{
    Suite *s = suite_create("pull");
    TCase *tc = tcase_create("pull");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, full_batch_then_next_request);
    tcase_add_test(tc, idle_time_ends_a_short_batch);
    tcase_add_test(tc, status_ends_the_request);
    tcase_add_test(tc, ack_batch_acks_each_in_one_write);
    tcase_add_test(tc, ack_all_acks_the_last);
    tcase_add_test(tc, serve_replies_and_errors);
    suite_add_tcase(s, tc);
    return s;
}
