/* RFC 6587 framing of syslog over TCP (apps/siem/normaliser/framing.c). */
#include <check.h>
#include <stdio.h>

#include "framing.h"
#include "helpers.h"

/* What the callback received, records joined as "flags:text|". */
struct got {
    char text[4096];
    size_t len;
    int n;
};

static void collect(void *ctx, const char *rec, size_t len, int flags)
{
    struct got *g = ctx;
    g->len += (size_t)snprintf(g->text + g->len, sizeof(g->text) - g->len, "%d:%.*s|", flags,
                               (int)len, rec);
    g->n++;
}

/* Only the last record's length and flags, for records too big to keep. */
struct last {
    size_t len;
    int flags, n;
};

static void remember(void *ctx, const char *rec, size_t len, int flags)
{
    struct last *l = ctx;
    (void)rec;
    l->len = len;
    l->flags = flags;
    l->n++;
}

/* Feeds text in chunks of step bytes (each an exact heap copy), then ends. */
static void feed(size_t max, const char *text, size_t len, size_t step, struct got *g)
{
    struct siem_framer f;
    memset(g, 0, sizeof(*g));
    ck_assert_int_eq(siem_framer_init(&f, max), 0);
    for (size_t off = 0; off < len; off += step) {
        size_t n = len - off < step ? len - off : step;
        char *chunk = exact(text + off, n);
        siem_framer_feed(&f, chunk, n, collect, g);
        free(chunk);
    }
    siem_framer_end(&f, collect, g);
    ck_assert_uint_eq(f.records, (uint64_t)g->n);
    siem_framer_free(&f);
}

/* The same result whatever the chunking. */
static void check_all_chunkings(size_t max, const char *text, size_t len, const char *want)
{
    struct got g;
    static const size_t steps[] = {1, 2, 3, 7, 64, 100000};
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        feed(max, text, len, steps[i], &g);
        ck_assert_msg(strcmp(g.text, want) == 0, "step %zu: got %s want %s", steps[i], g.text,
                      want);
    }
}

#define CHECK(max, lit, want) check_all_chunkings(max, lit, sizeof(lit) - 1, want)

START_TEST(non_transparent)
{
    CHECK(0, "<13>a\n<13>b\r\n<13>c\0<13>d\n", "0:<13>a|0:<13>b|0:<13>c|0:<13>d|");
    CHECK(0, "\n\r\n<13>blank lines skipped\n\n", "0:<13>blank lines skipped|");
    CHECK(0, "<13>unterminated at the end", "0:<13>unterminated at the end|");
    CHECK(0, "not syslog but a line\n", "0:not syslog but a line|");
}
END_TEST

START_TEST(octet_counting)
{
    /* logger --octet-count, captured, then a record with an LF inside. */
    CHECK(0,
          "99 <13>1 2026-12-01T03:59:46.522618+00:00 vm root - - [timeQuality tzKnown=\"1\" "
          "isSynced=\"0\"] octet tcp"
          "9 <13>a\nb\nc",
          "0:<13>1 2026-12-01T03:59:46.522618+00:00 vm root - - [timeQuality tzKnown=\"1\" "
          "isSynced=\"0\"] octet tcp|0:<13>a\nb\nc|");
    /* Mixed framings, per frame, and a stray LF after a counted frame. */
    CHECK(0, "5 <13>a\n<13>line\n6 <13>bc", "0:<13>a|0:<13>line|0:<13>bc|");
    /* Cut short by the end of the connection. */
    CHECK(0, "20 <13>short", "1:<13>short|");
}
END_TEST

START_TEST(oversize)
{
    /* max 8: lines longer are cut, the rest of the line skipped. */
    CHECK(8, "<13>12345678\n<13>1234\n", "1:<13>1234|0:<13>1234|");
    CHECK(8, "<13>1234\r\n", "0:<13>1234|");           /* exactly max, then CRLF */
    CHECK(8, "<13>1234\r5\nok\n", "1:<13>1234|0:ok|"); /* a CR inside */
    /* Counted frames: the rest is skipped by count, LFs in it included. */
    CHECK(8, "12 <13>4567\n\n\n\n4 next", "1:<13>4567|0:next|");
    CHECK(8, "8 12345678", "0:12345678|");
    struct got g;
    feed(0, NULL, 0, 1, &g);
    ck_assert_int_eq(g.n, 0);
    /* The default limit is the documented one. */
    static char big[SIEM_FRAME_MAX_DEFAULT + 3];
    memset(big, 'x', sizeof(big));
    big[sizeof(big) - 1] = '\n';
    struct siem_framer f;
    struct last l = {0, 0, 0};
    ck_assert_int_eq(siem_framer_init(&f, 0), 0);
    siem_framer_feed(&f, big, sizeof(big), remember, &l);
    ck_assert_int_eq(l.n, 1);
    ck_assert_uint_eq(l.len, SIEM_FRAME_MAX_DEFAULT);
    ck_assert_int_eq(l.flags, SIEM_FRAME_TRUNCATED);
    ck_assert_uint_eq(f.truncated, 1);
    /* Exactly max bytes, then LF, or then CR LF, is whole. */
    siem_framer_feed(&f, big + 2, sizeof(big) - 2, remember, &l);
    ck_assert_int_eq(l.n, 2);
    ck_assert_uint_eq(l.len, SIEM_FRAME_MAX_DEFAULT);
    ck_assert_int_eq(l.flags, 0);
    big[sizeof(big) - 2] = '\r';
    siem_framer_feed(&f, big + 1, sizeof(big) - 1, remember, &l);
    ck_assert_int_eq(l.n, 3);
    ck_assert_uint_eq(l.len, SIEM_FRAME_MAX_DEFAULT);
    ck_assert_int_eq(l.flags, 0);
    ck_assert_uint_eq(f.truncated, 1);
    siem_framer_free(&f);
}
END_TEST

START_TEST(malformed_counts)
{
    CHECK(0, "12a <13>x\n<13>ok\n", "2:12a <13>x|0:<13>ok|");
    CHECK(0, "0 <13>x\n5 <13>a", "2:0 <13>x|0:<13>a|");
    CHECK(0, "007 <13>x\n<13>ok\n", "2:007 <13>x|0:<13>ok|");
    CHECK(0, "1234567890 <13>x\n<13>ok\n", "2:1234567890 <13>x|0:<13>ok|");
    CHECK(0, "123\n<13>ok\n", "2:123|0:<13>ok|");
    CHECK(0, "99", "2:99|");
    /* A long malformed line is cut at max like any other. */
    CHECK(8, "1x3456789012\n5 <13>a", "3:1x345678|0:<13>a|");
    struct siem_framer f;
    struct got g = {{0}, 0, 0};
    ck_assert_int_eq(siem_framer_init(&f, 0), 0);
    siem_framer_feed(&f, "1x\n2y\n3 abc", 11, collect, &g);
    ck_assert_uint_eq(f.errors, 2);
    ck_assert_uint_eq(f.records, 3);
    siem_framer_free(&f);
}
END_TEST

Suite *framing_suite(void)
{
    Suite *s = suite_create("siem-framing");
    TCase *tc = tcase_create("framing");
    tcase_add_test(tc, non_transparent);
    tcase_add_test(tc, octet_counting);
    tcase_add_test(tc, oversize);
    tcase_add_test(tc, malformed_counts);
    suite_add_tcase(s, tc);
    return s;
}
