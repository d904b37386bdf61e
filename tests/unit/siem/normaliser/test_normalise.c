/* Whole events: the JSON parsed back and checked field by field
 * (apps/siem/normaliser/normalise.c). */
#include <check.h>
#include <stdio.h>

#include "field.h"
#include "helpers.h"
#include "normalise.h"

#define DEC1 (1796097586LL * 1000000000LL)

static struct siem_normalised out;
static cJSON *doc;

static struct siem_reception rx(const char *transport, const char *ip, uint16_t port, int64_t ns)
{
    struct siem_reception r = {transport, "", port, ns, 0};
    snprintf(r.sender_ip, sizeof(r.sender_ip), "%s", ip);
    return r;
}

static void run(const struct siem_reception *r, const char *text, size_t len)
{
    char *b = exact(text, len);
    cJSON_Delete(doc);
    siem_normalised_free(&out);
    ck_assert_int_eq(siem_normalise(r, b, len, &out), 0);
    free(b);
    ck_assert_ptr_nonnull(out.json);
    ck_assert_ptr_null(strchr(out.json, '\n'));
    doc = cJSON_Parse(out.json);
    ck_assert_msg(doc != NULL, "not JSON: %s", out.json);
}

static void norm(const char *text)
{
    struct siem_reception r = rx("udp", "192.0.2.7", 51514, DEC1 + 250000000);
    run(&r, text, strlen(text));
}

#define HAS(name, value)                                                                           \
    ck_assert_msg(siem_field_equals(doc, name, value), "%s != %s in %s", name, value, out.json)
#define MISSING(name)                                                                              \
    ck_assert_msg(siem_field(doc, name) == NULL, "%s present in %s", name, out.json)

START_TEST(logger_event)
{
    norm("<13>1 2026-12-01T03:59:46.517958+00:00 vm root 4242 - "
         "[timeQuality tzKnown=\"1\" isSynced=\"0\"] default udp");
    ck_assert_int_eq(out.pipeline_error, 0);
    ck_assert_str_eq(out.subject, "siem.events.generic");
    HAS("@timestamp", "2026-12-01T03:59:46.517Z");
    HAS("event.created", "2026-12-01T03:59:46.250Z");
    HAS("event.kind", "event");
    HAS("event.id", out.id);
    ck_assert_int_eq((int)strlen(out.id), 32);
    MISSING("event.category");
    MISSING("event.outcome");
    HAS("host.hostname", "vm");
    HAS("process.name", "root");
    HAS("process.pid", "4242");
    ck_assert(cJSON_IsNumber(siem_field(doc, "process.pid")));
    HAS("message", "default udp");
    HAS("log.syslog.facility.code", "1");
    HAS("log.syslog.facility.name", "user");
    HAS("log.syslog.severity.code", "5");
    HAS("log.syslog.severity.name", "notice");
    HAS("log.syslog.appname", "root");
    HAS("log.syslog.procid", "4242");
    HAS("log.syslog.version", "1");
    MISSING("log.syslog.msgid");
    HAS("log.syslog.structured_data.timeQuality.tzKnown", "1");
    HAS("log.syslog.structured_data.timeQuality.isSynced", "0");
    HAS("log.source.address", "192.0.2.7:51514");
    HAS("input.type", "udp");
    HAS("tags", "rfc5424");
    ck_assert_int_eq(cJSON_GetArraySize(siem_field(doc, "tags")), 1);
    MISSING("error");
    MISSING("user");
    MISSING("source");
}
END_TEST

START_TEST(recognised_event)
{
    norm("<38>Dec  1 03:59:40 bastion sshd[901]: Failed password for invalid user admin from "
         "2001:db8::9 port 50022 ssh2");
    ck_assert_str_eq(out.subject, "siem.events.authentication");
    HAS("@timestamp", "2026-12-01T03:59:40.000Z");
    HAS("event.category", "authentication");
    HAS("event.type", "start");
    HAS("event.action", "ssh_login");
    HAS("event.outcome", "failure");
    HAS("user.name", "admin");
    HAS("source.ip", "2001:db8::9");
    HAS("source.port", "50022");
    HAS("host.hostname", "bastion");
    HAS("process.pid", "901");
    HAS("log.syslog.facility.name", "auth");
    HAS("log.syslog.severity.name", "info");
    HAS("tags", "rfc3164");
    MISSING("log.syslog.version");
    norm("<86>Dec  1 03:59:41 bastion sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; "
         "COMMAND=/usr/bin/id");
    ck_assert_str_eq(out.subject, "siem.events.process");
    HAS("event.action", "sudo_command");
    HAS("event.outcome", "success");
    HAS("user.name", "alice");
    HAS("user.target.name", "root");
    HAS("log.syslog.facility.name", "authpriv");
    MISSING("process.pid");
    norm("<86>Dec  1 03:59:42 bastion su: (to root) alice on pts/0");
    ck_assert_str_eq(out.subject, "siem.events.session");
}
END_TEST

START_TEST(no_time_uses_reception)
{
    norm("<13>sshd[3]: Connection closed by 192.0.2.1 port 33333 [preauth]");
    HAS("@timestamp", "2026-12-01T03:59:46.250Z");
    ck_assert_str_eq(out.subject, "siem.events.session");
    MISSING("host.hostname");
    norm("<13>1 - - - - - - ");
    HAS("@timestamp", "2026-12-01T03:59:46.250Z");
    HAS("message", "");
    MISSING("process");
}
END_TEST

START_TEST(structured_data_merges)
{
    norm("<13>1 - h a - - [x@1 k=\"1\" k=\"2\" k=\"3\" e=\"\\\"q\\\"\"][y@1 z=\"\xFF\"][x@1 "
         "m=\"n\"] m");
    cJSON *k = (cJSON *)siem_field(doc, "log.syslog.structured_data.x@1.k");
    ck_assert(cJSON_IsArray(k));
    ck_assert_int_eq(cJSON_GetArraySize(k), 3);
    HAS("log.syslog.structured_data.x@1.k", "2");
    HAS("log.syslog.structured_data.x@1.e", "\"q\"");
    HAS("log.syslog.structured_data.x@1.m", "n");
    HAS("log.syslog.structured_data.y@1.z", "\xEF\xBF\xBD");
}
END_TEST

START_TEST(pipeline_error)
{
    static const char raw[] = "garbage \xFF\xFE with a NUL \0 and \"quotes\"\n";
    struct siem_reception r = rx("tcp", "2001:db8::5", 601, DEC1);
    r.truncated = 1;
    run(&r, raw, sizeof(raw) - 1);
    ck_assert_int_eq(out.pipeline_error, 1);
    ck_assert_str_eq(out.subject, "siem.events.error");
    HAS("event.kind", "pipeline_error");
    HAS("@timestamp", "2026-12-01T03:59:46.000Z");
    HAS("event.created", "2026-12-01T03:59:46.000Z");
    HAS("message", "garbage \xEF\xBF\xBD\xEF\xBF\xBD with a NUL \xEF\xBF\xBD and \"quotes\"\n");
    HAS("error.message", "no valid <PRI> at the start of the record");
    HAS("tags", "unparsed");
    HAS("tags", "truncated");
    HAS("log.source.address", "[2001:db8::5]:601");
    HAS("input.type", "tcp");
    MISSING("log.syslog");
    /* A malformed 5424 header is a pipeline error too, with its reason. */
    norm("<13>1 2026-13-01T00:00:00Z h a - - - x");
    ck_assert_int_eq(out.pipeline_error, 1);
    HAS("error.message", "RFC 5424 TIMESTAMP is malformed");
    /* And what the framing refused. */
    cJSON_Delete(doc);
    siem_normalised_free(&out);
    ck_assert_int_eq(siem_normalise_error(&r, "12a <13>x", 9, "malformed octet count", &out), 0);
    doc = cJSON_Parse(out.json);
    HAS("error.message", "malformed octet count");
    HAS("message", "12a <13>x");
    ck_assert_str_eq(out.subject, "siem.events.error");
}
END_TEST

START_TEST(truncated_tag)
{
    struct siem_reception r = rx("tcp", "10.0.0.1", 5000, DEC1);
    r.truncated = 1;
    run(&r, "<13>Dec  1 03:59:46 h t: cut", 28);
    ck_assert_int_eq(out.pipeline_error, 0);
    HAS("tags", "truncated");
    HAS("tags", "rfc3164");
    HAS("message", "cut");
}
END_TEST

START_TEST(event_ids)
{
    const char *line = "<13>1 - h a - - - same line";
    char first[SIEM_EVENT_ID_LEN];
    struct siem_reception a = rx("relp", "10.0.0.1", 40000, DEC1);
    run(&a, line, strlen(line));
    strcpy(first, out.id);
    HAS("event.id", first);
    /* A RELP retransmission: new connection, later time, same id. */
    struct siem_reception b = rx("relp", "10.0.0.1", 40002, DEC1 + 5000000000LL);
    run(&b, line, strlen(line));
    ck_assert_str_eq(out.id, first);
    /* The same bytes over UDP from two ports are two events. */
    struct siem_reception u1 = rx("udp", "10.0.0.1", 40000, DEC1),
                          u2 = rx("udp", "10.0.0.1", 40001, DEC1);
    run(&u1, line, strlen(line));
    strcpy(first, out.id);
    run(&u2, line, strlen(line));
    ck_assert_str_ne(out.id, first);
    run(&u1, line, strlen(line));
    ck_assert_str_eq(out.id, first);
}
END_TEST

static void teardown(void)
{
    cJSON_Delete(doc);
    doc = NULL;
    siem_normalised_free(&out);
}

Suite *normalise_suite(void)
{
    Suite *s = suite_create("siem-normalise");
    TCase *tc = tcase_create("normalise");
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, logger_event);
    tcase_add_test(tc, recognised_event);
    tcase_add_test(tc, no_time_uses_reception);
    tcase_add_test(tc, structured_data_merges);
    tcase_add_test(tc, pipeline_error);
    tcase_add_test(tc, truncated_tag);
    tcase_add_test(tc, event_ids);
    suite_add_tcase(s, tc);
    return s;
}
