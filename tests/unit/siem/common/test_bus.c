/* The bus client (apps/siem/common/bus.c) against a NATS server of one
 * connection played by the test on 127.0.0.1 (fake_nats.c): the nkey
 * login, the private inbox, pending limits, subscription exhaustion and
 * unsubscribing. */
#include <check.h>
#include <errno.h>
#include <sodium/crypto_sign_ed25519.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bus.h"
#include "fake_nats.h"
#include "nkey.h"

START_TEST(login_signs_the_nonce)
{
    unsigned char seed[32];
    char text[NKEY_SEED_LEN + 1];
    memset(seed, 7, sizeof(seed));
    nkey_seed_text(seed, text);
    struct nkey id;
    ck_assert_int_eq(nkey_from_seed(text, &id), 0);
    struct server s;
    fake_start(&s, &id);
    char want[96];
    snprintf(want, sizeof(want), "\"nkey\":\"%s\",\"sig\":\"", id.public_key);
    const char *p = strstr(s.got, want);
    ck_assert_ptr_nonnull(p);
    /* The signature is the nonce's, by this key. */
    p += strlen(want);
    static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    unsigned char sig[66];
    unsigned buf = 0;
    int bits = 0;
    size_t n = 0;
    for (; *p != '"'; p++) {
        buf = (buf << 6) | (unsigned)(strchr(b64url, *p) - b64url);
        if ((bits += 6) >= 8) {
            sig[n++] = (unsigned char)(buf >> (bits - 8));
            bits -= 8;
        }
    }
    ck_assert_uint_eq(n, 64);
    ck_assert_int_eq(crypto_sign_ed25519_verify_detached(sig, (const unsigned char *)"n0nce-42", 8,
                                                         id.secret + 32),
                     0);
}
END_TEST

START_TEST(anonymous_sends_no_key)
{
    struct server s;
    fake_start(&s, NULL);
    ck_assert_ptr_null(strstr(s.got, "\"nkey\""));
    ck_assert_ptr_null(strstr(s.got, "\"sig\""));
}
END_TEST

START_TEST(pending_limits_drop_and_count)
{
    struct server s;
    struct bus *b = fake_start(&s, NULL);
    struct bus_queue *q = bus_subscribe(b, "x.y");
    ck_assert_ptr_nonnull(q);
    fake_read_until(&s, "SUB x.y ");
    int sid = atoi(strstr(s.got, "SUB x.y ") + 8);
    bus_queue_limits(q, 3, 1 << 20);
    char msg[64];
    for (int i = 0; i < 5; i++) {
        snprintf(msg, sizeof(msg), "MSG x.y %d 1\r\n%d\r\n", sid, i);
        fake_say(&s, msg);
    }
    fake_sync(&s);
    for (int i = 0; i < 3; i++) {
        struct bus_msg *m = bus_queue_pop(q, 0);
        ck_assert_ptr_nonnull(m);
        ck_assert_int_eq(m->data[0], '0' + i);
        bus_msg_free(m);
    }
    ck_assert_ptr_null(bus_queue_pop(q, 0));
    ck_assert_uint_eq(bus_queue_dropped(q), 2);
    ck_assert_uint_eq(bus_dropped(b), 2);
    /* A byte limit too: 10 bytes take two messages of 4 bytes, not three. */
    bus_queue_limits(q, 100, 10);
    for (int i = 0; i < 3; i++) {
        snprintf(msg, sizeof(msg), "MSG x.y %d 4\r\nabcd\r\n", sid);
        fake_say(&s, msg);
    }
    fake_sync(&s);
    struct bus_msg *m;
    int taken = 0;
    while ((m = bus_queue_pop(q, 0))) {
        taken++;
        bus_msg_free(m);
    }
    ck_assert_int_eq(taken, 2);
    ck_assert_uint_eq(bus_queue_dropped(q), 3);
}
END_TEST

START_TEST(subscriptions_run_out_and_come_back)
{
    struct server s;
    struct bus *b = fake_start(&s, NULL);
    struct bus_queue *q[BUS_MAX_SUBS];
    char subject[32];
    for (int i = 0; i < BUS_MAX_SUBS; i++) {
        snprintf(subject, sizeof(subject), "s.%d", i);
        q[i] = bus_subscribe(b, subject);
        ck_assert_ptr_nonnull(q[i]);
    }
    errno = 0;
    ck_assert_ptr_null(bus_subscribe(b, "one.too.many"));
    ck_assert_int_eq(errno, ENOSPC);
    bus_unsubscribe(q[5]);
    struct bus_queue *again = bus_subscribe(b, "again");
    ck_assert_ptr_nonnull(again);
    fake_read_until(&s, "SUB again ");
    ck_assert_ptr_nonnull(strstr(s.got, "UNSUB 6\r\n"));
    /* The ended subscription's sid is not given again: a message still on
     * its way to it reaches no one. */
    int sid = atoi(strstr(s.got, "SUB again ") + 10);
    ck_assert_int_eq(sid, BUS_MAX_SUBS + 1);
    fake_say(&s, "MSG s.5 6 2\r\nhi\r\n");
    fake_sync(&s);
    ck_assert_ptr_null(bus_queue_pop(again, 0));
    ck_assert_uint_eq(bus_dropped(b), 0);
}
END_TEST

Suite *bus_suite(void)
{
    Suite *s = suite_create("bus");
    TCase *tc = tcase_create("bus");
    tcase_add_test(tc, login_signs_the_nonce);
    tcase_add_test(tc, anonymous_sends_no_key);
    tcase_add_test(tc, pending_limits_drop_and_count);
    tcase_add_test(tc, subscriptions_run_out_and_come_back);
    suite_add_tcase(s, tc);
    return s;
}
