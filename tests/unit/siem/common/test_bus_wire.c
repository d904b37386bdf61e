/* The NATS wire format (apps/siem/common/bus_wire.c): PUB/HPUB text,
 * INFO's max_payload, headers, and MSG/HMSG frames read through a pipe in
 * pieces as a socket delivers them, each into one block. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bus_wire.h"

START_TEST(pub_and_hpub)
{
    char buf[256];
    int n = bus_wire_pub(buf, sizeof(buf), "siem.events.x", NULL, NULL, "hi", 2);
    ck_assert_int_eq(n, (int)strlen("PUB siem.events.x 2\r\nhi\r\n"));
    ck_assert(memcmp(buf, "PUB siem.events.x 2\r\nhi\r\n", (size_t)n) == 0);
    n = bus_wire_pub(buf, sizeof(buf), "a.b", "_INBOX.1", "abc", "{}", 2);
    const char *want = "HPUB a.b _INBOX.1 30 32\r\nNATS/1.0\r\nNats-Msg-Id: abc\r\n\r\n{}\r\n";
    ck_assert_int_eq(n, (int)strlen(want));
    ck_assert(memcmp(buf, want, (size_t)n) == 0);
    /* Spaces or control characters would split the control line. */
    ck_assert_int_eq(bus_wire_pub(buf, sizeof(buf), "a b", NULL, NULL, "", 0), -1);
    ck_assert_int_eq(bus_wire_pub(buf, sizeof(buf), "a", "r\n", NULL, "", 0), -1);
    ck_assert_int_eq(bus_wire_pub(buf, sizeof(buf), "a", NULL, "x y", "", 0), -1);
    ck_assert_int_eq(bus_wire_pub(buf, sizeof(buf), "", NULL, NULL, "", 0), -1);
    char num[21];
    ck_assert_uint_eq(bus_wire_u64(num, 0), 1);
    ck_assert_str_eq(num, "0");
    ck_assert_uint_eq(bus_wire_u64(num, UINT64_MAX), 20);
    ck_assert_str_eq(num, "18446744073709551615");
    /* Too small a buffer is refused, not overrun. */
    ck_assert_int_eq(bus_wire_pub(buf, 20, "siem.events.x", NULL, NULL, "hi", 2), -1);
}
END_TEST

START_TEST(info_and_headers)
{
    ck_assert_uint_eq(bus_wire_info_max_payload("{\"server_id\":\"x\",\"max_payload\":8388608}"),
                      8388608);
    ck_assert_uint_eq(bus_wire_info_max_payload("{}"), 1024 * 1024);
    char v[64];
    /* The nonce a server with nkey users sends. */
    ck_assert_int_eq(bus_wire_info_string("{\"max_payload\":1,\"nonce\":\"ab-CD_9\",\"x\":2}",
                                          "nonce", v, sizeof(v)),
                     0);
    ck_assert_str_eq(v, "ab-CD_9");
    ck_assert_int_eq(bus_wire_info_string("{\"max_payload\":1}", "nonce", v, sizeof(v)), -1);
    ck_assert_int_eq(bus_wire_info_string("{\"nonce\":\"abcdef\"}", "nonce", v, 4), -1);
    ck_assert_int_eq(bus_wire_info_string("{\"nonce\":\"a\\\"b\"}", "nonce", v, sizeof(v)), -1);
    const char *h = "NATS/1.0\r\nNats-Msg-Id: abc123\r\nX-Other:  two\r\n\r\n";
    ck_assert_int_eq(bus_wire_header(h, "nats-msg-id", v, sizeof(v)), 6);
    ck_assert_str_eq(v, "abc123");
    ck_assert_int_eq(bus_wire_header(h, "X-Other", v, sizeof(v)), 3);
    ck_assert_str_eq(v, "two");
    ck_assert_int_eq(bus_wire_header(h, "Nats", v, sizeof(v)), -1);
    ck_assert_int_eq(bus_wire_header(h, "Nats-Msg-Id", v, 4), -1);
    ck_assert_int_eq(bus_wire_header("", "A", v, sizeof(v)), -1);
    ck_assert_int_eq(bus_wire_header(NULL, "A", v, sizeof(v)), -1);
}
END_TEST

/* Writes text into a pipe in chunks of step bytes from a child, and reads
 * it back through bus_rx. */
static struct bus_rx *feed(const char *text, size_t step, int *fd)
{
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    if (fork() == 0) {
        close(p[0]);
        for (size_t off = 0, len = strlen(text); off < len; off += step) {
            size_t n = len - off < step ? len - off : step;
            if (write(p[1], text + off, n) != (ssize_t)n)
                _exit(1);
            usleep(1000);
        }
        _exit(0);
    }
    close(p[1]);
    struct bus_rx *rx = bus_rx_new(96);
    bus_rx_reset(rx, p[0]);
    *fd = p[0];
    return rx;
}

START_TEST(messages_in_pieces)
{
    static const size_t steps[] = {1, 3, 7, 1000};
    const char *text = "INFO {\"max_payload\":100}\r\n"
                       "MSG siem.x 4 11\r\nhello world\r\n"
                       "HMSG _INBOX.a.s1 2 $JS.ACK.EVENTS.c.1.5.5.1700000000000000000.0 29 31\r\n"
                       "NATS/1.0\r\nNats-Msg-Id: e1\r\n\r\n{}\r\n"
                       "HMSG _INBOX.a.s1 2 32 32\r\nNATS/1.0 408 Request Timeout\r\n\r\n\r\n"
                       "PING\r\n";
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        int fd, sid = 0;
        struct bus_rx *rx = feed(text, steps[i], &fd);
        ck_assert_str_eq(bus_rx_line(rx), "INFO {\"max_payload\":100}");

        struct bus_msg *m = bus_rx_msg(rx, bus_rx_line(rx), &sid);
        ck_assert_ptr_nonnull(m);
        ck_assert_int_eq(sid, 4);
        ck_assert_str_eq(m->subject, "siem.x");
        ck_assert_str_eq(m->reply, "");
        ck_assert_uint_eq(m->len, 11);
        ck_assert_str_eq(m->data, "hello world");
        ck_assert_int_eq(m->status, 0);
        /* One block: the strings follow the struct (ASan would see the
         * rest leak if bus_msg_free left any behind). */
        ck_assert_ptr_eq(m->subject, (char *)(m + 1));
        ck_assert_ptr_eq(m->reply, m->subject + strlen("siem.x") + 1);
        ck_assert_ptr_eq(m->data, m->headers + 1);
        bus_msg_free(m);

        m = bus_rx_msg(rx, bus_rx_line(rx), &sid);
        ck_assert_ptr_nonnull(m);
        ck_assert_int_eq(sid, 2);
        ck_assert_str_eq(m->data, "{}");
        char id[8];
        ck_assert_int_eq(bus_msg_header(m, "Nats-Msg-Id", id, sizeof(id)), 2);
        ck_assert_str_eq(id, "e1");
        bus_msg_free(m);

        m = bus_rx_msg(rx, bus_rx_line(rx), &sid);
        ck_assert_ptr_nonnull(m);
        ck_assert_int_eq(m->status, 408);
        ck_assert_uint_eq(m->len, 0);
        bus_msg_free(m);

        ck_assert_str_eq(bus_rx_line(rx), "PING");
        ck_assert_ptr_null(bus_rx_line(rx)); /* the end of the stream */
        close(fd);
        bus_rx_free(rx);
    }
}
END_TEST

START_TEST(malformed_frames)
{
    static const char *bad[] = {
        "MSG a 1\r\n",             /* too few fields */
        "MSG a 1 r x y 5\r\n",     /* too many */
        "MSG a 1 5x\r\n",          /* not a number */
        "HMSG a 1 40 30\r\n",      /* headers longer than the whole */
        "MSG a 1 99999999999\r\n", /* absurd size */
        "MSG a 1 10\r\nshort",     /* the connection ends inside the payload */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int fd, sid;
        struct bus_rx *rx = feed(bad[i], 1000, &fd);
        char *line = bus_rx_line(rx);
        ck_assert_ptr_nonnull(line);
        ck_assert_msg(bus_rx_msg(rx, line, &sid) == NULL, "accepted '%s'", bad[i]);
        close(fd);
        bus_rx_free(rx);
    }
    /* A control line longer than the buffer ends the connection. */
    char longline[200];
    memset(longline, 'x', sizeof(longline));
    memcpy(longline + sizeof(longline) - 3, "\r\n", 3);
    {
        int fd;
        struct bus_rx *rx = feed(longline, 1000, &fd);
        ck_assert_ptr_null(bus_rx_line(rx));
        close(fd);
        bus_rx_free(rx);
    }
}
END_TEST

Suite *bus_wire_suite(void)
{
    Suite *s = suite_create("siem-bus-wire");
    TCase *tc = tcase_create("wire");
    tcase_add_test(tc, pub_and_hpub);
    tcase_add_test(tc, info_and_headers);
    tcase_add_test(tc, messages_in_pieces);
    tcase_add_test(tc, malformed_frames);
    suite_add_tcase(s, tc);
    return s;
}
