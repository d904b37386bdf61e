/* Event fields written as nested JSON (apps/siem/normaliser/evdoc.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evdoc.h"

static struct evdoc d;

static void text(const char *name, const char *value)
{
    evdoc_set(&d, name, EVDOC_TEXT, value, strlen(value), 0);
}

static void num(const char *name, long long v)
{
    evdoc_set(&d, name, EVDOC_NUM, NULL, 0, v);
}

static void tag(const char *value)
{
    evdoc_set(&d, "tags", EVDOC_TAG, value, strlen(value), 0);
}

static void expect(const char *want)
{
    size_t len = 0;
    char *s = evdoc_json(&d, &len);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, want);
    ck_assert_uint_eq(len, strlen(want));
    free(s);
}

START_TEST(nested_in_first_order)
{
    evdoc_init(&d);
    expect("{}");
    text("@timestamp", "t");
    text("event.id", "abc");
    text("log.source.address", "10.0.0.1:514");
    text("input.type", "udp");
    num("process.pid", 42);
    text("event.kind", "event");
    text("log.syslog.facility.name", "auth");
    num("log.syslog.facility.code", 4);
    tag("rfc5424");
    text("log.syslog.appname", "sshd");
    tag("truncated");
    expect("{\"@timestamp\":\"t\",\"event\":{\"id\":\"abc\",\"kind\":\"event\"},"
           "\"log\":{\"source\":{\"address\":\"10.0.0.1:514\"},\"syslog\":{\"facility\":"
           "{\"name\":\"auth\",\"code\":4},\"appname\":\"sshd\"}},\"input\":{\"type\":\"udp\"},"
           "\"process\":{\"pid\":42},\"tags\":[\"rfc5424\",\"truncated\"]}");
}
END_TEST

START_TEST(replaced_goes_last)
{
    evdoc_init(&d);
    text("process.name", "sshd");
    num("process.pid", 7);
    text("user.name", "root");
    text("process.name", "sshd-session"); /* as cJSON: deleted, added last */
    num("process.pid", 8);
    expect("{\"process\":{\"name\":\"sshd-session\",\"pid\":8},\"user\":{\"name\":\"root\"}}");
    /* A number replaced by text, text by a number. */
    text("process.pid", "x");
    num("user.name", 0);
    expect("{\"process\":{\"name\":\"sshd-session\",\"pid\":\"x\"},\"user\":{\"name\":0}}");
    /* A top-level field replaced goes last. */
    text("message", "a");
    text("event.id", "i");
    text("message", "b");
    expect("{\"process\":{\"name\":\"sshd-session\",\"pid\":\"x\"},\"user\":{\"name\":0},"
           "\"event\":{\"id\":\"i\"},\"message\":\"b\"}");
}
END_TEST

START_TEST(leaf_and_object_conflicts)
{
    evdoc_init(&d);
    num("process.pid", 7);
    /* process.pid is a number, not an object: ignored. */
    text("process.pid.x", "no");
    text("user.target.name", "root");
    /* An object replaced by a leaf, which takes all of it away. */
    text("user.target", "flat");
    text("user.name", "alice");
    expect("{\"process\":{\"pid\":7},\"user\":{\"target\":\"flat\",\"name\":\"alice\"}}");
    /* A longer name that only shares a prefix is another key. */
    text("user.targets", "two");
    expect("{\"process\":{\"pid\":7},\"user\":{\"target\":\"flat\",\"name\":\"alice\","
           "\"targets\":\"two\"}}");
}
END_TEST

START_TEST(values_escaped)
{
    evdoc_init(&d);
    evdoc_set(&d, "message", EVDOC_TEXT, "a\"b\\c\n\x01\xff\0z", 10, 0);
    evdoc_set(&d, "log.syslog.structured_data", EVDOC_JSON, "{\"a\":{\"b\":[\"1\",\"2\"]}}", 21, 0);
    expect("{\"message\":\"a\\\"b\\\\c\\n\\u0001\xEF\xBF\xBD\xEF\xBF\xBDz\","
           "\"log\":{\"syslog\":{\"structured_data\":{\"a\":{\"b\":[\"1\",\"2\"]}}}}}");
}
END_TEST

START_TEST(full_is_refused)
{
    static char names[EVDOC_MAX][16];
    evdoc_init(&d);
    for (int i = 0; i < EVDOC_MAX - 1; i++) {
        snprintf(names[i], sizeof(names[i]), "f.n%d", i);
        num(names[i], i);
    }
    /* A replaced field keeps its place: this takes the last slot. */
    num("f.n0", 1);
    char *s = evdoc_json(&d, NULL);
    ck_assert_ptr_nonnull(s);
    ck_assert_ptr_nonnull(strstr(s, "\"n1\":1,"));
    ck_assert_ptr_nonnull(strstr(s, ",\"n0\":1}}"));
    free(s);
    num("g", 0);
    ck_assert_ptr_null(evdoc_json(&d, NULL));
}
END_TEST

Suite *evdoc_suite(void)
{
    Suite *s = suite_create("evdoc");
    TCase *tc = tcase_create("write");
    tcase_add_test(tc, nested_in_first_order);
    tcase_add_test(tc, replaced_goes_last);
    tcase_add_test(tc, leaf_and_object_conflicts);
    tcase_add_test(tc, values_escaped);
    tcase_add_test(tc, full_is_refused);
    suite_add_tcase(s, tc);
    return s;
}
