/* Robustness without a fuzzer: every prefix of valid records, and every
 * single-byte mutation of them, through the parser, the recogniser, the
 * normaliser and the two stream decoders. Each input sits in a heap
 * buffer of its exact size, so AddressSanitizer reports any read past
 * the given length. */
#include <check.h>

#include "field.h"
#include "framing.h"
#include "helpers.h"
#include "normalise.h"
#include "recognise.h"
#include "relp.h"
#include "syslog.h"

#define DEC1 (1796097586LL * 1000000000LL)

static const char *const records[] = {
    "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 1234 ID47 "
    "[exampleSDID@32473 iut=\"3\" eventSource=\"Appl\\\"ication\" eventID=\"1011\"]"
    "[examplePriority@32473 class=\"high\\]\"] \xEF\xBB\xBF"
    "An application event log entry...",
    "<13>1 2026-12-01T03:59:46.517958+01:00 vm root - - [timeQuality tzKnown=\"1\"] default",
    "<38>Dec  1 03:59:40 bastion sshd[901]: Failed password for invalid user admin from "
    "2001:db8::9 port 50022 ssh2",
    "<86>Dec  1 03:59:41 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; "
    "COMMAND=/bin/id",
    "<86>Dec 31 23:59:59 h su: pam_unix(su:auth): authentication failure; logname=bob uid=1 "
    "euid=0 tty=/dev/pts/2 ruser=bob rhost=  user=root",
    "<13>2026-12-01T03:59:46Z host sshd[1]: Disconnected from authenticating user root "
    "192.0.2.1 port 22 [preauth]",
};

/* One input through everything that takes a record. */
static void one(const char *text, size_t len)
{
    char *b = exact(text, len);
    struct siem_syslog s;
    const char *why;
    int bad = siem_syslog_parse(b, len, DEC1, &s, &why);
    if (bad == 0) {
        /* The slices lie inside the record. */
        ck_assert(s.msg.p >= b && s.msg.p + s.msg.len <= b + len);
        ck_assert(!s.sd.p || (s.sd.p >= b && s.sd.p + s.sd.len <= b + len));
        ck_assert(!s.hostname.p || (s.hostname.p >= b && s.hostname.p + s.hostname.len <= b + len));
        struct siem_recognised r;
        siem_recognise(s.appname.p, s.appname.len, s.msg.p, s.msg.len, &r);
    } else {
        ck_assert_ptr_nonnull(why);
    }
    struct siem_reception rx = {"tcp", "192.0.2.1", 601, DEC1, 0};
    struct siem_normalised out;
    ck_assert_int_eq(siem_normalise(&rx, b, len, &out), 0);
    ck_assert_int_eq(out.pipeline_error, bad != 0);
    cJSON *doc = cJSON_Parse(out.json);
    ck_assert_msg(doc != NULL, "not JSON: %s", out.json);
    ck_assert(siem_field_equals(doc, "event.kind", bad ? "pipeline_error" : "event"));
    ck_assert(siem_field_equals(doc, "event.id", out.id));
    cJSON_Delete(doc);
    siem_normalised_free(&out);
    free(b);
}

static void count(void *ctx, const char *rec, size_t len, int flags)
{
    (void)rec, (void)len, (void)flags;
    ++*(int *)ctx;
}

START_TEST(all_prefixes)
{
    for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
        size_t len = strlen(records[i]);
        for (size_t n = 0; n <= len; n++)
            one(records[i], n);
        /* The whole records are valid, so nothing above was vacuous. */
        struct siem_syslog s;
        const char *why;
        ck_assert_int_eq(siem_syslog_parse(records[i], len, DEC1, &s, &why), 0);
    }
}
END_TEST

START_TEST(all_mutations)
{
    static const char subst[] = {'\0', ' ', '[', ']',  '"', '\\', '=',   '-',
                                 ':',  '<', '>', '\n', 'x', '9',  '\xFF'};
    char m[512];
    for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
        size_t len = strlen(records[i]);
        ck_assert_uint_lt(len, sizeof(m));
        for (size_t at = 0; at < len; at++)
            for (size_t k = 0; k < sizeof(subst); k++) {
                memcpy(m, records[i], len);
                m[at] = subst[k];
                one(m, len);
            }
    }
}
END_TEST

static void count_frame(void *ctx, const struct siem_relp_frame *f)
{
    ck_assert(f->len <= 4);
    ++*(int *)ctx;
}

/* Stream decoders given every prefix of a stream, then the end. */
START_TEST(stream_prefixes)
{
    static const char tcp[] = "5 <13>a\n<13>line\r\n12x\n0 z\n20 <13>short\n\0";
    static const char relp[] = "1 open 3 a=b\n2 syslog 5 <13>x\n3 close 0\n";
    int frames_whole = 0;
    for (size_t n = 0; n <= sizeof(tcp) - 1; n++) {
        struct siem_framer f;
        int c = 0;
        char *b = exact(tcp, n);
        ck_assert_int_eq(siem_framer_init(&f, 6), 0);
        siem_framer_feed(&f, b, n, count, &c);
        siem_framer_end(&f, count, &c);
        ck_assert_uint_eq(f.records, (uint64_t)c);
        frames_whole = c;
        siem_framer_free(&f);
        free(b);
    }
    ck_assert_int_eq(frames_whole, 5);
    int relp_frames = 0;
    for (size_t n = 0; n <= sizeof(relp) - 1; n++) {
        struct siem_relp r;
        char *b = exact(relp, n);
        relp_frames = 0;
        ck_assert_int_eq(siem_relp_init(&r, 4), 0);
        /* A prefix of a valid session is never an error, just incomplete. */
        ck_assert_int_eq(siem_relp_feed(&r, b, n, count_frame, &relp_frames), 0);
        siem_relp_free(&r);
        free(b);
    }
    ck_assert_int_eq(relp_frames, 3);
}
END_TEST

Suite *robust_suite(void)
{
    Suite *s = suite_create("siem-robust");
    TCase *tc = tcase_create("robust");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, all_prefixes);
    tcase_add_test(tc, all_mutations);
    tcase_add_test(tc, stream_prefixes);
    suite_add_tcase(s, tc);
    return s;
}
