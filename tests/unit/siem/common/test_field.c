/* Dotted field lookup and comparison (apps/siem/common/field.c). */
#include <check.h>

#include "field.h"

static cJSON *doc(void)
{
    return cJSON_Parse("{\"@timestamp\":\"2026-01-01T00:00:00.000Z\","
                       "\"source\":{\"ip\":\"10.1.2.3\",\"port\":2222},"
                       "\"log\":{\"syslog\":{\"appname\":\"sshd\"}},"
                       "\"tags\":[\"rfc3164\",\"truncated\"],"
                       "\"flat.key\":\"x\",\"ok\":true,\"ratio\":0.5}");
}

START_TEST(nested_and_flat)
{
    cJSON *d = doc();
    char buf[64];
    ck_assert_int_eq(siem_field_text(d, "source.ip", buf, sizeof(buf)), 8);
    ck_assert_str_eq(buf, "10.1.2.3");
    ck_assert_int_eq(siem_field_text(d, "source.port", buf, sizeof(buf)), 4);
    ck_assert_str_eq(buf, "2222");
    ck_assert_int_eq(siem_field_text(d, "log.syslog.appname", buf, sizeof(buf)), 4);
    ck_assert_int_eq(siem_field_text(d, "flat.key", buf, sizeof(buf)), 1);
    ck_assert_int_eq(siem_field_text(d, "@timestamp", buf, sizeof(buf)), 24);
    ck_assert_int_eq(siem_field_text(d, "ok", buf, sizeof(buf)), 4);
    ck_assert_int_eq(siem_field_text(d, "ratio", buf, sizeof(buf)), 3);
    cJSON_Delete(d);
}
END_TEST

START_TEST(missing_and_unfit)
{
    cJSON *d = doc();
    char small[4];
    ck_assert_int_eq(siem_field_text(d, "source.mac", small, sizeof(small)), -1);
    ck_assert_int_eq(siem_field_text(d, "source", small, sizeof(small)), -1);
    ck_assert_int_eq(siem_field_text(d, "source.ip", small, sizeof(small)), -1);
    ck_assert_int_eq(siem_field_text(d, ".ip", small, sizeof(small)), -1);
    ck_assert_ptr_null(siem_field(NULL, "a"));
    cJSON_Delete(d);
}
END_TEST

START_TEST(equals)
{
    cJSON *d = doc();
    ck_assert_int_eq(siem_field_equals(d, "source.ip", "10.1.2.3"), 1);
    ck_assert_int_eq(siem_field_equals(d, "source.ip", "10.1.2.30"), 0);
    ck_assert_int_eq(siem_field_equals(d, "source.port", "2222"), 1);
    ck_assert_int_eq(siem_field_equals(d, "tags", "truncated"), 1);
    ck_assert_int_eq(siem_field_equals(d, "tags", "rfc5424"), 0);
    ck_assert_int_eq(siem_field_equals(d, "nothing", ""), 0);
    cJSON_Delete(d);
}
END_TEST

Suite *field_suite(void)
{
    Suite *s = suite_create("siem-field");
    TCase *tc = tcase_create("field");
    tcase_add_test(tc, nested_and_flat);
    tcase_add_test(tc, missing_and_unfit);
    tcase_add_test(tc, equals);
    suite_add_tcase(s, tc);
    return s;
}
