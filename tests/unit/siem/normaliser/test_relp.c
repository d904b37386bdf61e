/* RELP frame decoding and responses (apps/siem/normaliser/relp.c). */
#include <check.h>
#include <stdio.h>

#include "helpers.h"
#include "relp.h"

/* Frames received, joined as "txnr:command:truncated:data|". */
struct got {
    char text[4096];
    size_t len;
    int n;
};

static void collect(void *ctx, const struct siem_relp_frame *f)
{
    struct got *g = ctx;
    g->len +=
        (size_t)snprintf(g->text + g->len, sizeof(g->text) - g->len, "%u:%d:%d:%.*s|",
                         (unsigned)f->txnr, (int)f->command, f->truncated, (int)f->len, f->data);
    g->n++;
}

/* Feeds text in chunks of step bytes; returns the first error (or 0). */
static int feed(struct siem_relp *r, const char *text, size_t len, size_t step, struct got *g)
{
    int e = 0;
    for (size_t off = 0; off < len && e == 0; off += step) {
        size_t n = len - off < step ? len - off : step;
        char *chunk = exact(text + off, n);
        e = siem_relp_feed(r, chunk, n, collect, g);
        free(chunk);
    }
    return e;
}

/* A fresh session fed text with every chunking; all must agree. */
static void check_session(size_t max, const char *text, size_t len, int want_error,
                          const char *want)
{
    static const size_t steps[] = {1, 2, 5, 13, 100000};
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        struct siem_relp r;
        struct got g;
        memset(&g, 0, sizeof(g));
        ck_assert_int_eq(siem_relp_init(&r, max), 0);
        int e = feed(&r, text, len, steps[i], &g);
        ck_assert_msg(e == want_error, "step %zu: error %d, want %d", steps[i], e, want_error);
        ck_assert_msg(strcmp(g.text, want) == 0, "step %zu: got %s want %s", steps[i], g.text,
                      want);
        ck_assert_uint_eq(r.errors, want_error ? 1 : 0);
        siem_relp_free(&r);
    }
}

#define SESSION(max, lit, err, want) check_session(max, lit, sizeof(lit) - 1, err, want)

#define OPEN                                                                                       \
    "1 open 85 "                                                                                   \
    "relp_version=0\nrelp_software=librelp,1.2.7,http://librelp.adiscon.com\ncommands=syslog\n"
#define OPEN_DATA                                                                                  \
    "relp_version=0\nrelp_software=librelp,1.2.7,http://librelp.adiscon.com\ncommands=syslog"

START_TEST(session)
{
    SESSION(0, OPEN "2 syslog 15 <13>hello\nworld\n3 syslog 9 <13>again\n4 close 0\n", 0,
            "1:1:0:" OPEN_DATA "|2:2:0:<13>hello\nworld|3:2:0:<13>again|4:3:0:|");
}
END_TEST

START_TEST(truncation)
{
    /* Records beyond the limit are cut; the frame is still read whole. */
    SESSION(8, "1 open 3 a=b\n2 syslog 12 <13>45678901\n3 syslog 8 <13>4567\n", 0,
            "1:1:0:a=b|2:2:1:<13>4567|3:2:0:<13>4567|");
}
END_TEST

START_TEST(malformed)
{
    SESSION(0, "x open 0\n", SIEM_RELP_E_TXNR, "");
    SESSION(0, " open 0\n", SIEM_RELP_E_TXNR, "");
    SESSION(0, "1234567890 open 0\n", SIEM_RELP_E_TXNR, "");
    SESSION(0, "2 open 0\n", SIEM_RELP_E_TXNR, "");                      /* not 1 */
    SESSION(0, "1 open 0\n1 syslog 1 x\n", SIEM_RELP_E_TXNR, "1:1:0:|"); /* repeated */
    SESSION(0, "1 open 0\n3 syslog 1 x\n", SIEM_RELP_E_TXNR, "1:1:0:|"); /* skipped */
    SESSION(0, "1 starttls 0\n", SIEM_RELP_E_COMMAND, "");
    SESSION(0, "1 rsp 0\n", SIEM_RELP_E_COMMAND, "");
    SESSION(0, "1 op3n 0\n", SIEM_RELP_E_COMMAND, "");
    SESSION(0, "1  open 0\n", SIEM_RELP_E_COMMAND, "");
    SESSION(0, "1 abcdefghijklmnopqrstuvwxyzabcdefg 0\n", SIEM_RELP_E_COMMAND, "");
    SESSION(0, "1 open 131073 x", SIEM_RELP_E_DATALEN, "");
    SESSION(0, "1 open 1234567890 x", SIEM_RELP_E_DATALEN, "");
    SESSION(0, "1 open x\n", SIEM_RELP_E_DATALEN, "");
    SESSION(0, "1 open 3 abcX", SIEM_RELP_E_TRAILER, "");
    SESSION(0, "1 open 0 \n", SIEM_RELP_E_TRAILER, "");
    SESSION(0, "1 open 3\nabc\n", SIEM_RELP_E_TRAILER, "");
    SESSION(0, "1 syslog 1 x\n", SIEM_RELP_E_STATE, "");
    SESSION(0, "1 close 0\n", SIEM_RELP_E_STATE, "");
    SESSION(0, "1 open 0\n2 open 0\n", SIEM_RELP_E_STATE, "1:1:0:|");
    SESSION(0, "1 open 0\n2 close 0\n3 syslog 1 x\n", SIEM_RELP_E_STATE, "1:1:0:|2:3:0:|");
    /* The largest allowed DATALEN is accepted. */
    SESSION(0, "1 open 131072 ", 0, "");
}
END_TEST

START_TEST(sticky_error_and_wrap)
{
    struct siem_relp r;
    struct got g;
    memset(&g, 0, sizeof(g));
    ck_assert_int_eq(siem_relp_init(&r, 0), 0);
    ck_assert_int_eq(feed(&r, "1 open 0\nbad", 12, 100, &g), SIEM_RELP_E_TXNR);
    ck_assert_int_eq(siem_relp_feed(&r, "2 syslog 1 x\n", 13, collect, &g), SIEM_RELP_E_TXNR);
    ck_assert_int_eq(siem_relp_feed(&r, "", 0, collect, &g), SIEM_RELP_E_TXNR);
    ck_assert_uint_eq(r.errors, 1);
    ck_assert_uint_eq(r.frames, 1);
    ck_assert_str_ne(siem_relp_strerror(SIEM_RELP_E_TXNR), siem_relp_strerror(SIEM_RELP_E_STATE));
    siem_relp_free(&r);
    /* After 999999999 comes 1. */
    memset(&g, 0, sizeof(g));
    ck_assert_int_eq(siem_relp_init(&r, 0), 0);
    ck_assert_int_eq(feed(&r, "1 open 0\n", 9, 100, &g), 0);
    r.expect = SIEM_RELP_TXNR_MAX;
    const char *wrap = "999999999 syslog 1 a\n1 syslog 1 b\n";
    ck_assert_int_eq(feed(&r, wrap, strlen(wrap), 100, &g), 0);
    ck_assert_str_eq(g.text, "1:1:0:|999999999:2:0:a|1:2:0:b|");
    siem_relp_free(&r);
}
END_TEST

START_TEST(responses)
{
    char b[256];
    ck_assert_int_eq(siem_relp_rsp_ok(b, sizeof(b), 2), 15);
    ck_assert_str_eq(b, "2 rsp 6 200 OK\n");
    const char *open =
        "1 rsp 69 200 OK\nrelp_version=0\nrelp_software=siem-normaliser,1\ncommands=syslog\n";
    ck_assert_int_eq(siem_relp_rsp_open(b, sizeof(b), 1, "siem-normaliser,1"), (int)strlen(open));
    ck_assert_str_eq(b, open);
    ck_assert_int_eq(siem_relp_rsp_close(b, sizeof(b), 9), 8);
    ck_assert_str_eq(b, "9 rsp 0\n");
    ck_assert_int_eq(siem_relp_serverclose(b, sizeof(b)), 16);
    ck_assert_str_eq(b, "0 serverclose 0\n");
    ck_assert_int_eq(siem_relp_rsp_ok(b, 10, 2), -1);
    /* The responses are themselves valid frames of the stated length. */
    siem_relp_rsp_open(b, sizeof(b), 1, "x");
    const char *sp = strchr(strchr(b, ' ') + 1, ' ') + 1;
    char *data = strchr(sp, ' ') + 1;
    ck_assert_int_eq(atoi(sp), (int)(strlen(data) - 1));
}
END_TEST

Suite *relp_suite(void)
{
    Suite *s = suite_create("siem-relp");
    TCase *tc = tcase_create("relp");
    tcase_add_test(tc, session);
    tcase_add_test(tc, truncation);
    tcase_add_test(tc, malformed);
    tcase_add_test(tc, sticky_error_and_wrap);
    tcase_add_test(tc, responses);
    suite_add_tcase(s, tc);
    return s;
}
