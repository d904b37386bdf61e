/* Test records and helpers for the event store suites. */
#include "fixtures.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fx_id(unsigned n, char id[33])
{
    snprintf(id, 33, "%08x%08x%08x%08x", n, n * 2654435761u, ~n, n ^ 0x5a5a5a5au);
}

size_t fx_event(unsigned n, size_t pad, char *buf, size_t size)
{
    char id[33], msg[2048];
    fx_id(n, id);
    size_t fill = pad < sizeof(msg) - 1 ? pad : sizeof(msg) - 1;
    for (size_t i = 0; i < fill; i++)
        msg[i] = (char)('a' + (n + i) % 26);
    msg[fill] = '\0';
    unsigned s = n % 60, m = n / 60 % 60, h = n / 3600 % 24;
    int len = snprintf(buf, size,
                       "{\"@timestamp\":\"2025-12-31T23:00:00.000Z\",\"event\":{\"id\":\"%s\","
                       "\"created\":\"2026-01-01T%02u:%02u:%02u.000Z\"},\"message\":\"%u %s\"}",
                       id, h, m, s, n, msg);
    ck_assert_int_gt(len, 0);
    ck_assert_uint_lt((size_t)len, size);
    return (size_t)len;
}

void fx_append(struct store_log *log, unsigned n, size_t pad)
{
    char buf[4096];
    size_t len = fx_event(n, pad, buf, sizeof(buf));
    ck_assert_int_eq(store_log_append(log, STORE_EVENT, buf, len), 0);
}

const uint8_t fx_seal_key[32] = {0x5e, 0xa1, 0x4b, 0x00, 1,  2,  3,  4,  5,  6,  7,
                                 8,    9,    10,   11,   12, 13, 14, 15, 16, 17, 18,
                                 19,   20,   21,   22,   23, 24, 25, 26, 27, 28};

struct store_log *fx_open(struct memdisk *m, uint32_t segment_size, struct store_recovery *rep)
{
    struct store_disk d = memdisk_ops(m);
    struct store_open_opts o = {.segment_size = segment_size, .seal_key = fx_seal_key};
    struct store_log *log = NULL;
    char err[200];
    int rc = store_log_open(&log, &d, &o, rep, err, sizeof(err));
    ck_assert_msg(rc == 0, "store_log_open: %d %s", rc, err);
    ck_assert_ptr_nonnull(log);
    return log;
}

void fx_check(struct store_log *log, size_t i, unsigned n, size_t pad)
{
    char want[4096], got[4096];
    size_t len = fx_event(n, pad, want, sizeof(want));
    const struct store_rec *r = store_log_newest(log, i);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(store_log_read(log, r, got, sizeof(got)), (int)len);
    ck_assert_str_eq(got, want);
}
