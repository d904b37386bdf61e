/* Unit tests for libos/pipebuf.c, the byte ring behind pipe(): FIFO order
 * across the wrap-around, partial reads and writes at the limits, POSIX's
 * atomic-write rule, and a long random run checked against a plain model. */
#include <stdlib.h>
#include <string.h>

#include "pipebuf.h"
#include "suites.h"

#define CAP 16

static unsigned char mem[CAP];
static struct pipebuf b;

static void setup(void)
{
    memset(mem, 0xee, sizeof(mem));
    pipebuf_init(&b, mem, CAP);
}

START_TEST(empty_and_full)
{
    unsigned char out[CAP + 4];
    ck_assert_uint_eq(pipebuf_read(&b, out, sizeof(out)), 0);
    ck_assert_uint_eq(pipebuf_space(&b), CAP);
    unsigned char in[CAP + 4];
    for (size_t i = 0; i < sizeof(in); i++)
        in[i] = (unsigned char)i;
    ck_assert_uint_eq(pipebuf_write(&b, in, sizeof(in)), CAP); /* only what fits */
    ck_assert_uint_eq(pipebuf_space(&b), 0);
    ck_assert_uint_eq(pipebuf_write(&b, in, 1), 0);
    ck_assert_uint_eq(pipebuf_read(&b, out, sizeof(out)), CAP);
    ck_assert_mem_eq(out, in, CAP);
    ck_assert_uint_eq(pipebuf_space(&b), CAP);
}
END_TEST

START_TEST(wraps_in_order)
{
    unsigned char out[CAP];
    ck_assert_uint_eq(pipebuf_write(&b, "abcdefghijkl", 12), 12);
    ck_assert_uint_eq(pipebuf_read(&b, out, 10), 10);
    ck_assert_mem_eq(out, "abcdefghij", 10);
    /* 2 bytes queued at offset 10: 12 more run past the end and wrap. */
    ck_assert_uint_eq(pipebuf_write(&b, "0123456789AB", 12), 12);
    ck_assert_uint_eq(b.used, 14);
    ck_assert_uint_eq(pipebuf_read(&b, out, CAP), 14);
    ck_assert_mem_eq(out, "kl0123456789AB", 14);
}
END_TEST

START_TEST(short_reads)
{
    unsigned char out[4];
    pipebuf_write(&b, "xyz", 3);
    ck_assert_uint_eq(pipebuf_read(&b, out, 2), 2);
    ck_assert_mem_eq(out, "xy", 2);
    ck_assert_uint_eq(pipebuf_read(&b, out, 4), 1);
    ck_assert_int_eq(out[0], 'z');
    ck_assert_uint_eq(pipebuf_read(&b, out, 4), 0);
}
END_TEST

START_TEST(atomic_rule)
{
    /* Up to "atomic" bytes: all or nothing. */
    ck_assert_uint_eq(pipebuf_writable(&b, 4, 8), 4);
    pipebuf_write(&b, "0123456789ab", 12); /* 4 bytes free */
    ck_assert_uint_eq(pipebuf_writable(&b, 4, 8), 4);
    ck_assert_uint_eq(pipebuf_writable(&b, 5, 8), 0);
    ck_assert_uint_eq(pipebuf_writable(&b, 8, 8), 0);
    /* Larger writes may go in part, as far as there is room. */
    ck_assert_uint_eq(pipebuf_writable(&b, 9, 8), 4);
    pipebuf_write(&b, "cdef", 4);
    ck_assert_uint_eq(pipebuf_writable(&b, 9, 8), 0);
    ck_assert_uint_eq(pipebuf_writable(&b, 1, 8), 0);
    ck_assert_uint_eq(pipebuf_writable(&b, 0, 8), 0);
}
END_TEST

/* Random writes and reads against a model: a flat array of every byte
 * written and a read position in it. */
START_TEST(random_against_model)
{
    enum { TOTAL = 20000 };
    static unsigned char model[TOTAL + CAP];
    size_t written = 0, readpos = 0;
    srand(12345);
    while (written < TOTAL) {
        unsigned char chunk[CAP + 3], out[CAP + 3];
        size_t n = (size_t)rand() % sizeof(chunk);
        for (size_t i = 0; i < n; i++)
            chunk[i] = (unsigned char)rand();
        size_t fits = pipebuf_space(&b) < n ? pipebuf_space(&b) : n;
        ck_assert_uint_eq(pipebuf_write(&b, chunk, n), fits);
        memcpy(model + written, chunk, fits);
        written += fits;
        size_t want = (size_t)rand() % sizeof(out);
        size_t got = pipebuf_read(&b, out, want);
        ck_assert_uint_eq(got, want < written - readpos ? want : written - readpos);
        ck_assert_mem_eq(out, model + readpos, got);
        readpos += got;
        ck_assert_uint_eq(b.used, written - readpos);
        ck_assert_uint_lt(b.head, CAP);
    }
}
END_TEST

Suite *pipebuf_suite(void)
{
    Suite *s = suite_create("pipebuf");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, empty_and_full);
    tcase_add_test(tc, wraps_in_order);
    tcase_add_test(tc, short_reads);
    tcase_add_test(tc, atomic_rule);
    tcase_add_test(tc, random_against_model);
    suite_add_tcase(s, tc);
    return s;
}
