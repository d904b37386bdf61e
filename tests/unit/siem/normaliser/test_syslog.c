/* Syslog record parsing: RFC 5424, RFC 3164 and what logger(1) sends
 * (apps/siem/normaliser/{syslog,stamp,sd}.c). */
#include <check.h>

#include "helpers.h"
#include "syslog.h"

/* 2026-12-01T03:59:46Z, the reception time of the captured logger lines. */
#define DEC1 (1796097586LL * 1000000000LL)
#define SEC 1000000000LL

static char *buf;
static struct siem_syslog s;
static const char *why;

static int parse_at(const char *text, int64_t received)
{
    free(buf);
    buf = exact(text, strlen(text));
    return siem_syslog_parse(buf, strlen(text), received, &s, &why);
}

static int parse(const char *text)
{
    return parse_at(text, DEC1);
}

/* Captured from util-linux logger 2.38 (Debian 12), its default over UDP. */
START_TEST(logger_default_rfc5424)
{
    ck_assert_int_eq(parse("<13>1 2026-12-01T03:59:46.517958+00:00 vm root - - "
                           "[timeQuality tzKnown=\"1\" isSynced=\"0\"] default udp"),
                     0);
    ck_assert_int_eq(s.format, SIEM_SYSLOG_RFC5424);
    ck_assert_int_eq(s.facility, 1);
    ck_assert_int_eq(s.severity, 5);
    ck_assert_int_eq(s.version, 1);
    ck_assert_int_eq(s.has_time, 1);
    ck_assert_int_eq(s.time_ns, DEC1 + 517958000);
    ck_slice(s.hostname, "vm");
    ck_slice(s.appname, "root");
    ck_slice(s.procid, NULL);
    ck_slice(s.msgid, NULL);
    ck_slice(s.sd, "[timeQuality tzKnown=\"1\" isSynced=\"0\"]");
    ck_slice(s.msg, "default udp");
    /* --rfc5424=notq,nohost --msgid ID47 -i, and =notime. */
    ck_assert_int_eq(
        parse("<13>1 2026-12-01T03:59:46.528936+00:00 - root 22511 ID47 - 5424 notq nohost"), 0);
    ck_slice(s.hostname, NULL);
    ck_slice(s.procid, "22511");
    ck_slice(s.msgid, "ID47");
    ck_slice(s.sd, NULL);
    ck_slice(s.msg, "5424 notq nohost");
    ck_assert_int_eq(parse("<13>1 - vm root - - - 5424 notime"), 0);
    ck_assert_int_eq(s.has_time, 0);
    ck_slice(s.msg, "5424 notime");
}
END_TEST

/* RFC 5424 section 6.5 examples 1 and 2. */
START_TEST(rfc5424_examples)
{
    ck_assert_int_eq(parse("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - "
                           "\xEF\xBB\xBF'su root' failed for lonvick on /dev/pts/8"),
                     0);
    ck_assert_int_eq(s.facility, 4);
    ck_assert_int_eq(s.severity, 2);
    ck_assert_int_eq(s.time_ns, 1065910455LL * SEC + 3000000);
    ck_slice(s.hostname, "mymachine.example.com");
    ck_slice(s.appname, "su");
    ck_slice(s.msgid, "ID47");
    ck_slice(s.msg, "'su root' failed for lonvick on /dev/pts/8"); /* BOM removed */
    ck_assert_int_eq(parse("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - "
                           "%% It's time to make the do-nuts."),
                     0);
    ck_assert_int_eq(s.time_ns, 1061727255LL * SEC + 3000);
    ck_slice(s.procid, "8710");
    ck_assert_str_eq(siem_syslog_facility_name(s.facility), "local4");
    ck_assert_str_eq(siem_syslog_severity_name(s.severity), "notice");
}
END_TEST

START_TEST(structured_data)
{
    ck_assert_int_eq(parse("<165>1 2003-10-11T22:14:15.003Z host evntslog - ID47 "
                           "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\"]"
                           "[examplePriority@32473 class=\"high\"][x@1 a=\"q\\\"u\" b=\"b\\\\s\" "
                           "c=\"br\\]k\" d=\"o\\n\" e=\"\"]"),
                     0);
    ck_slice(s.msg, "");
    struct siem_sd_cursor c;
    struct siem_str id, name, value;
    char out[32];
    siem_sd_begin(&c, s.sd.p, s.sd.p + s.sd.len);
    ck_assert_int_eq(siem_sd_next_element(&c, &id), 1);
    ck_slice(id, "exampleSDID@32473");
    ck_assert_int_eq(siem_sd_next_param(&c, &name, &value), 1);
    ck_slice(name, "iut");
    ck_slice(value, "3");
    ck_assert_int_eq(siem_sd_next_param(&c, &name, &value), 1);
    ck_slice(value, "Application");
    ck_assert_int_eq(siem_sd_next_param(&c, &name, &value), 0);
    ck_assert_int_eq(siem_sd_next_element(&c, &id), 1);
    ck_slice(id, "examplePriority@32473");
    ck_assert_int_eq(siem_sd_next_param(&c, &name, &value), 1);
    ck_assert_int_eq(siem_sd_next_param(&c, &name, &value), 0);
    ck_assert_int_eq(siem_sd_next_element(&c, &id), 1);
    static const char *const want[] = {"q\"u", "b\\s", "br]k", "o\\n", ""};
    for (int i = 0; i < 5; i++) {
        ck_assert_int_eq(siem_sd_next_param(&c, &name, &value), 1);
        size_t n = siem_sd_unescape(value, out);
        ck_assert_uint_eq(n, strlen(want[i]));
        ck_assert(memcmp(out, want[i], n) == 0);
    }
    ck_assert_int_eq(siem_sd_next_param(&c, &name, &value), 0);
    ck_assert_int_eq(siem_sd_next_element(&c, &id), 0);
    /* SD then a message; an unescaped ']' inside quotes is tolerated. */
    ck_assert_int_eq(parse("<13>1 - h a - - [a b=\"x]y\"] text"), 0);
    ck_slice(s.sd, "[a b=\"x]y\"]");
    ck_slice(s.msg, "text");
}
END_TEST

START_TEST(nilvalues_and_times)
{
    ck_assert_int_eq(parse("<0>1 - - - - - -"), 0);
    ck_assert_int_eq(s.facility, 0);
    ck_assert_int_eq(s.has_time, 0);
    ck_slice(s.hostname, NULL);
    ck_slice(s.appname, NULL);
    ck_slice(s.sd, NULL);
    ck_slice(s.msg, "");
    ck_assert_int_eq(parse("<13>1 1985-04-12t23:20:50.52z h a - - - x"), 0);
    ck_assert_int_eq(s.time_ns, 482196050LL * SEC + 520000000);
    ck_assert_int_eq(parse("<13>1 1985-04-12T23:20:50.123456789+14:00 h a - - - x"), 0);
    ck_assert_int_eq(s.time_ns, (482196050LL - 14 * 3600) * SEC + 123456789);
    ck_assert_int_eq(parse("<13>1 2026-12-01T03:59:46Z h a - - - x\r\n"), 0);
    ck_assert_int_eq(s.time_ns, DEC1);
    ck_slice(s.msg, "x"); /* the trailer is not part of the record */
    ck_assert_int_eq(parse("<13>2 - h a - - - x"), 0);
    ck_assert_int_eq(s.version, 2);
}
END_TEST

START_TEST(rfc5424_malformed)
{
    static const char *const bad[] = {
        "<13>1 2026-02-29T00:00:00Z h a - - - leap day in a common year",
        "<13>1 2026-12-01T24:00:00Z h a - - - hour",
        "<13>1 2026-12-01T03:59:60Z h a - - - second",
        "<13>1 2026-12-01T03:59:46 h a - - - no offset",
        "<13>1 2026-12-01T03:59:46.Z h a - - - empty fraction",
        "<13>1 2026-12-01T03:59:46.1234567891Z h a - - - ten digits",
        "<13>1 2026-12-01T03:59:46+1:00 h a - - - offset",
        "<13>1 2300-01-01T00:00:00Z h a - - - beyond int64 ns",
        "<13>1 1969-12-31T23:59:59Z h a - - - before 1970",
        "<13>1 - h a - - [unterminated x=\"1\"",
        "<13>1 - h a - - [x a=\"1\"]text",
        "<13>1 - h a - - [x a=1] no quotes",
        "<13>1 - h a - - [] empty id",
        "<13>1 - h a - - [x a=\"1\"  b=\"2\"] two spaces",
        "<13>1 - h a - - nosd",
        "<13>1 - h a - -",
        "<13>1 - h a -",
        "<13>1 -",
        "<13>1 - h aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa - - - 49-byte app",
        "<13>1 - h a - 123456789012345678901234567890123 - 33-byte msgid",
        "<13>1 - h a - - [abcdefghijklmnopqrstuvwxyz0123456 a=\"\"] 33-byte SD-ID",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(parse(bad[i]) == -1, "accepted: %s", bad[i]);
        ck_assert_ptr_nonnull(why);
    }
}
END_TEST

START_TEST(bad_pri)
{
    static const char *const bad[] = {
        "",     "<",       "<>",     "<1",    "<192>x",           "<1a>x",
        "13>x", "<1234>x", " <13>x", "<-1>x", "\xEF\xBB\xBF<13>x"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        ck_assert_msg(parse(bad[i]) == -1, "accepted: %s", bad[i]);
        ck_assert_str_eq(why, "no valid <PRI> at the start of the record");
    }
    ck_assert_int_eq(parse("<191>x"), 0);
    ck_assert_int_eq(s.facility, 23);
    ck_assert_int_eq(s.severity, 7);
    ck_assert_str_eq(siem_syslog_facility_name(10), "authpriv");
    ck_assert_str_eq(siem_syslog_severity_name(3), "err");
    ck_assert_ptr_null(siem_syslog_facility_name(24));
    ck_assert_ptr_null(siem_syslog_severity_name(-1));
}
END_TEST

/* logger --rfc3164 over UDP, and its default on the local socket. */
START_TEST(rfc3164_logger)
{
    ck_assert_int_eq(parse("<13>Dec  1 03:59:46 vm sshd[22509]: rfc3164 udp"), 0);
    ck_assert_int_eq(s.format, SIEM_SYSLOG_RFC3164);
    ck_assert_int_eq(s.version, 0);
    ck_assert_int_eq(s.time_ns, DEC1);
    ck_slice(s.hostname, "vm");
    ck_slice(s.appname, "sshd");
    ck_slice(s.procid, "22509");
    ck_slice(s.msg, "rfc3164 udp");
    ck_assert_int_eq(parse("<13>Dec  1 03:59:46 vm root: rfc3164 tcp\n"), 0);
    ck_slice(s.appname, "root");
    ck_slice(s.procid, NULL);
    ck_slice(s.msg, "rfc3164 tcp");
    ck_assert_int_eq(parse("<13>Dec  1 03:59:52 root: local default"), 0);
    ck_slice(s.hostname, NULL);
    ck_slice(s.appname, "root");
    ck_slice(s.msg, "local default");
    ck_assert_int_eq(s.time_ns, DEC1 + 6 * SEC);
}
END_TEST

START_TEST(rfc3164_shapes)
{
    ck_assert_int_eq(parse("<13>Dec  1 10:00:00 sshd[12]: msg"), 0);
    ck_slice(s.hostname, NULL);
    ck_slice(s.appname, "sshd");
    ck_slice(s.procid, "12");
    ck_slice(s.msg, "msg");
    ck_assert_int_eq(parse("<13>Dec 1 10:00:00 fe80::1 app: x: y"), 0);
    ck_slice(s.hostname, "fe80::1");
    ck_slice(s.appname, "app");
    ck_slice(s.msg, "x: y");
    ck_assert_int_eq(parse("<13>Dec 01 10:00:00 host free text here"), 0);
    ck_slice(s.hostname, "host");
    ck_slice(s.appname, NULL);
    ck_slice(s.msg, "free text here");
    ck_assert_int_eq(parse("<13>sshd[7]: no time stamp"), 0);
    ck_assert_int_eq(s.has_time, 0);
    ck_slice(s.hostname, NULL);
    ck_slice(s.appname, "sshd");
    ck_slice(s.msg, "no time stamp");
    ck_assert_int_eq(parse("<13>hello world: x"), 0);
    ck_slice(s.appname, NULL);
    ck_slice(s.msg, "hello world: x");
    ck_assert_int_eq(parse("<13>"), 0);
    ck_slice(s.msg, "");
    ck_assert_int_eq(parse("<13>Dec  1 10:00:00"), 0);
    ck_assert_int_eq(s.has_time, 1);
    ck_slice(s.hostname, NULL);
    ck_assert_int_eq(parse("<13>Dec  1 2025 10:00:00 h t: with year"), 0);
    ck_assert_int_eq(s.time_ns, (1764583200LL) * SEC);
    ck_assert_int_eq(parse("<13>2026-12-01T04:59:46.5+01:00 host app[3]: rsyslog forward"), 0);
    ck_assert_int_eq(s.time_ns, DEC1 + 500000000);
    ck_slice(s.hostname, "host");
    ck_slice(s.procid, "3");
    /* Not a time stamp: the text stays in the message. */
    ck_assert_int_eq(parse("<13>Dec 32 10:00:00 host x"), 0);
    ck_assert_int_eq(s.has_time, 0);
    ck_slice(s.msg, "Dec 32 10:00:00 host x");
}
END_TEST

START_TEST(rfc3164_year)
{
    /* A December line received just after New Year is last year's. */
    ck_assert_int_eq(parse_at("<13>Dec 31 23:59:59 h t: x", 1798761605LL * SEC), 0);
    ck_assert_int_eq(s.time_ns, 1798761599LL * SEC);
    /* A line from a clock slightly ahead, across New Year, is next year's. */
    ck_assert_int_eq(parse_at("<13>Jan  1 00:00:01 h t: x", 1798761590LL * SEC), 0);
    ck_assert_int_eq(s.time_ns, 1798761601LL * SEC);
    /* Mid-year: the nearest is the same year. */
    ck_assert_int_eq(parse_at("<13>Jun 15 12:00:00 h t: x", DEC1), 0);
    ck_assert_int_eq(s.time_ns, 1781524800LL * SEC);
    /* 29 February goes to the nearest leap year within one year. */
    ck_assert_int_eq(parse_at("<13>Feb 29 12:00:00 h t: x", 1803859200LL * SEC), 0);
    ck_assert_int_eq(s.time_ns, 1835438400LL * SEC);
    ck_assert_int_eq(parse_at("<13>Feb 29 12:00:00 h t: x", DEC1), 0);
    ck_assert_int_eq(s.has_time, 0); /* 2025..2027 have none */
}
END_TEST

static void teardown(void)
{
    free(buf);
    buf = NULL;
}

Suite *syslog_suite(void)
{
    Suite *su = suite_create("siem-syslog");
    TCase *tc = tcase_create("syslog");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, logger_default_rfc5424);
    tcase_add_test(tc, rfc5424_examples);
    tcase_add_test(tc, structured_data);
    tcase_add_test(tc, nilvalues_and_times);
    tcase_add_test(tc, rfc5424_malformed);
    tcase_add_test(tc, bad_pri);
    tcase_add_test(tc, rfc3164_logger);
    tcase_add_test(tc, rfc3164_shapes);
    tcase_add_test(tc, rfc3164_year);
    suite_add_tcase(su, tc);
    return su;
}
