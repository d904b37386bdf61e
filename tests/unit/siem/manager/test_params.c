/* The manager's request parameters (apps/siem/manager/params.c): times,
 * durations, the store query they become, and the token check. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "params.h"

#define NOW 1767225600000LL /* 2026-01-01T00:00:00Z */

static char *query(const char *kind, const struct mgr_param *p, size_t n, char *err)
{
    cJSON *q = mgr_query_from_params(kind, p, n, NOW, err, 300);
    char *s = q ? cJSON_PrintUnformatted(q) : NULL;
    cJSON_Delete(q);
    return s;
}

START_TEST(times)
{
    int64_t ms;
    ck_assert_int_eq(mgr_parse_time("10m", NOW, &ms), 0);
    ck_assert_int_eq(ms, NOW - 600000);
    ck_assert_int_eq(mgr_parse_time("1h30m", NOW, &ms), 0);
    ck_assert_int_eq(ms, NOW - 5400000);
    ck_assert_int_eq(mgr_parse_time("1767225600.5", NOW, &ms), 0);
    ck_assert_int_eq(ms, NOW + 500);
    ck_assert_int_eq(mgr_parse_time("2026-01-01T00:00:01Z", NOW, &ms), 0);
    ck_assert_int_eq(ms, NOW + 1000);
    ck_assert_int_eq(mgr_parse_time("yesterday", NOW, &ms), -1);
    ck_assert_int_eq(mgr_parse_time("10x", NOW, &ms), -1);
    ck_assert_int_eq(mgr_parse_time("", NOW, &ms), -1);
    ck_assert_int_eq(mgr_parse_time("99999999999999", NOW, &ms), -1);
    ck_assert_int_eq(mgr_parse_duration("3000d", &ms), 0);
    ck_assert_int_eq(mgr_parse_duration("4000000d", &ms), -1);
}
END_TEST

START_TEST(events_query)
{
    char err[300];
    struct mgr_param p[] = {{"since", "1h"}, {"text", "root"}, {"limit", "5"}, {"user.name", "x"}};
    char *s = query("events", p, 4, err);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s,
                     "{\"kind\":\"events\",\"fields\":{\"user.name\":\"x\"},\"since\":1767222000,"
                     "\"text\":\"root\",\"limit\":5}");
    free(s);
    struct mgr_param a[] = {{"rule", "ssh_brute_force"}};
    s = query("alerts", a, 1, err);
    ck_assert_str_eq(s, "{\"kind\":\"alerts\",\"fields\":{\"event.kind\":\"alert\",\"rule.name\":"
                        "\"ssh_brute_force\"}}");
    free(s);
    struct mgr_param c[] = {{"cursor", "4711"}};
    s = query("events", c, 1, err);
    ck_assert_str_eq(s, "{\"kind\":\"events\",\"fields\":{},\"cursor\":4711}");
    free(s);
}
END_TEST

START_TEST(bad_params)
{
    static const struct {
        const char *kind, *key, *value, *message;
    } cases[] = {
        {"events", "limit", "0", "limit must be 1..1000"},
        {"events", "limit", "+5", "limit must be 1..1000"},
        {"events", "limit", "1001", "limit must be 1..1000"},
        {"events", "since", "soon", "since must be an RFC 3339 time"},
        {"events", "text", "", "text must have"},
        {"events", "rule", "x", "unknown parameter 'rule'"},
        {"events", "limt", "1", "unknown parameter 'limt'"},
        {"events", "user..name", "1", "unknown parameter"},
        {"events", ".user", "1", "unknown parameter"},
        {"alerts", "rule", "", "rule must be a rule name"},
        {"events", "cursor", "0", "cursor must be"},
        {"events", "cursor", "-1", "cursor must be"},
        {"events", "cursor", "12x", "cursor must be"},
        {"events", "cursor", "", "cursor must be"},
        {"events", "cursor", "99999999999999999999", "cursor must be"},
    };
    char err[300];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct mgr_param p = {cases[i].key, cases[i].value};
        ck_assert_ptr_null(query(cases[i].kind, &p, 1, err));
        ck_assert_msg(strstr(err, cases[i].message), "%s=%s: %s", cases[i].key, cases[i].value,
                      err);
    }
    struct mgr_param twice[] = {{"limit", "1"}, {"limit", "2"}};
    ck_assert_ptr_null(query("events", twice, 2, err));
    ck_assert_ptr_nonnull(strstr(err, "given twice"));
    struct mgr_param order[] = {{"since", "1h"}, {"until", "2h"}};
    ck_assert_ptr_null(query("events", order, 2, err));
    ck_assert_str_eq(err, "since must be before until");
}
END_TEST

START_TEST(stats_query)
{
    char err[300];
    struct mgr_param p[] = {{"minutes", "3"}, {"kind", "alerts"}};
    cJSON *q = mgr_stats_from_params(p, 2, NOW + 30000, err, sizeof(err));
    char *s = cJSON_PrintUnformatted(q);
    /* The current minute (00:00) is the last of three. */
    ck_assert_str_eq(s, "{\"kind\":\"alerts\",\"stats\":\"per_minute\",\"since\":1767225480,"
                        "\"until\":1767225660}");
    free(s);
    cJSON_Delete(q);
    struct mgr_param bad = {"minutes", "1441"};
    ck_assert_ptr_null(mgr_stats_from_params(&bad, 1, NOW, err, sizeof(err)));
    ck_assert_str_eq(err, "minutes must be 1..1440");
}
END_TEST

START_TEST(tokens_and_ids)
{
    ck_assert(mgr_token_equal("0123456789abcdef", "0123456789abcdef"));
    ck_assert(!mgr_token_equal("0123456789abcdef", "0123456789abcdeg"));
    ck_assert(!mgr_token_equal("0123456789abcdef", "0123456789abcdef0"));
    ck_assert(!mgr_token_equal("0123456789abcdef", ""));
    ck_assert(!mgr_token_equal("", ""));
    ck_assert_str_eq(mgr_bearer("bearer  abc"), "abc");
    ck_assert_ptr_null(mgr_bearer("Basic abc"));
    ck_assert_ptr_null(mgr_bearer("Bearer "));
    ck_assert_ptr_null(mgr_bearer(NULL));
    ck_assert(mgr_alert_id_ok("0123456789abcdef0123456789abcdef"));
    ck_assert(!mgr_alert_id_ok("0123456789ABCDEF0123456789abcdef"));
    ck_assert(!mgr_alert_id_ok("0123456789abcdef0123456789abcde"));
    ck_assert(!mgr_alert_id_ok("../../etc/passwd"));
}
END_TEST

Suite *mgr_params_suite(void)
{
    Suite *s = suite_create("siem-manager-params");
    TCase *tc = tcase_create("params");
    tcase_add_test(tc, times);
    tcase_add_test(tc, events_query);
    tcase_add_test(tc, bad_params);
    tcase_add_test(tc, stats_query);
    tcase_add_test(tc, tokens_and_ids);
    suite_add_tcase(s, tc);
    return s;
}
