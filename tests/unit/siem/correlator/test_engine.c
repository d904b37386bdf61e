/* The rule engine's semantics (engine.c, groups.c, alert.c): windows,
 * thresholds, suppression, groups, triggers, ids and bounds. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "alert_id.h"
#include "field.h"
#include "fixture.h"
#include "siemtime.h"

static struct corr_rules rules;
static struct recorder rec;
static corr_engine *eng;

static void setup(void)
{
    load_default_rules(&rules);
    memset(&rec, 0, sizeof(rec));
    eng = corr_engine_new(&rules, 0, rec_alert_fn, &rec);
    ck_assert_ptr_nonnull(eng);
}

static void teardown(void)
{
    corr_engine_free(eng);
    corr_rules_free(&rules);
    rec_free(&rec);
}

static void fail_ssh(int64_t ms, const char *ip)
{
    ck_assert_int_ge(feed_free(eng, ev_make(ms, NULL, "ssh_login", "failure", ip, "root")), 0);
}

static size_t count_rule(const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < rec.n; i++)
        n += strcmp(rec.a[i].rule, rule) == 0;
    return n;
}

static void text_of(const cJSON *doc, const char *field, char *buf, size_t size)
{
    ck_assert_msg(siem_field_text(doc, field, buf, size) >= 0, "no %s", field);
}

START_TEST(threshold_exactly_eight)
{
    for (int i = 0; i < 7; i++)
        fail_ssh(T0 + i * 1000, "10.0.0.1");
    ck_assert_uint_eq(rec.n, 0);
    cJSON *ev = ev_make(T0 + 7000, "0123456789abcdef0123456789abcdef", "ssh_login", "failure",
                        "10.0.0.1", "root");
    ck_assert_int_eq(corr_feed(eng, ev, 0), 1);
    cJSON_Delete(ev);
    ck_assert_uint_eq(rec.n, 1);
    struct rec_alert *a = &rec.a[0];
    ck_assert_str_eq(a->rule, "ssh_brute_force");
    ck_assert_str_eq(a->subject, "siem.alerts.ssh_brute_force");
    char want[CORR_ALERT_ID_LEN], buf[512];
    corr_alert_id("ssh_brute_force", "10.0.0.1", "0123456789abcdef0123456789abcdef", want);
    ck_assert_str_eq(a->id, want);
    cJSON *doc = cJSON_Parse(a->json);
    ck_assert_ptr_nonnull(doc);
    text_of(doc, "event.id", buf, sizeof(buf));
    ck_assert_str_eq(buf, want);
    text_of(doc, "event.kind", buf, sizeof(buf));
    ck_assert_str_eq(buf, "alert");
    text_of(doc, "event.severity", buf, sizeof(buf));
    ck_assert_str_eq(buf, "73");
    text_of(doc, "@timestamp", buf, sizeof(buf));
    ck_assert_str_eq(buf, "2026-12-01T00:00:07.000Z");
    text_of(doc, "event.created", buf, sizeof(buf));
    ck_assert_str_eq(buf, "2026-12-01T00:00:07.000Z");
    text_of(doc, "window.start", buf, sizeof(buf));
    ck_assert_str_eq(buf, "2026-12-01T00:00:00.000Z");
    text_of(doc, "window.end", buf, sizeof(buf));
    ck_assert_str_eq(buf, "2026-12-01T00:00:07.000Z");
    text_of(doc, "count", buf, sizeof(buf));
    ck_assert_str_eq(buf, "8");
    text_of(doc, "group.field", buf, sizeof(buf));
    ck_assert_str_eq(buf, "source.ip");
    text_of(doc, "group.value", buf, sizeof(buf));
    ck_assert_str_eq(buf, "10.0.0.1");
    text_of(doc, "rule.name", buf, sizeof(buf));
    ck_assert_str_eq(buf, "ssh_brute_force");
    text_of(doc, "trigger.event_id", buf, sizeof(buf));
    ck_assert_str_eq(buf, "0123456789abcdef0123456789abcdef");
    ck_assert_int_eq(cJSON_GetArraySize(siem_field(doc, "related.event_ids")), 8);
    ck_assert_int_eq(
        siem_field_equals(doc, "related.event_ids", "0123456789abcdef0123456789abcdef"), 1);
    text_of(doc, "message", buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(buf, "8 matching events for source.ip 10.0.0.1"));
    cJSON_Delete(doc);
}
END_TEST

START_TEST(window_slides)
{
    /* 10.0.0.1: the first failure exactly 120 s before the eighth still counts. */
    fail_ssh(T0, "10.0.0.1");
    for (int i = 1; i < 7; i++)
        fail_ssh(T0 + 100000 + i * 2857, "10.0.0.1");
    ck_assert_uint_eq(count_rule("ssh_brute_force"), 0);
    fail_ssh(T0 + 120000, "10.0.0.1");
    ck_assert_uint_eq(count_rule("ssh_brute_force"), 1);
    /* 10.0.0.2: 1 ms later it has left, so the eighth is not enough... */
    fail_ssh(T0, "10.0.0.2");
    for (int i = 1; i < 7; i++)
        fail_ssh(T0 + 100000 + i * 2857, "10.0.0.2");
    fail_ssh(T0 + 120001, "10.0.0.2");
    ck_assert_uint_eq(count_rule("ssh_brute_force"), 1);
    /* ...but a ninth is. */
    fail_ssh(T0 + 120002, "10.0.0.2");
    ck_assert_uint_eq(count_rule("ssh_brute_force"), 2);
    cJSON *doc = cJSON_Parse(rec.a[1].json);
    char buf[64];
    text_of(doc, "window.start", buf, sizeof(buf));
    ck_assert_str_eq(buf, "2026-12-01T00:01:42.857Z");
    cJSON_Delete(doc);
    /* Spread thinner than 8 per 120 s: never. */
    for (int i = 0; i < 40; i++)
        fail_ssh(T0 + 1000000 + i * 17200, "10.0.0.3");
    ck_assert_uint_eq(count_rule("ssh_brute_force"), 2);
}
END_TEST

START_TEST(ten_failures_one_alert)
{
    for (int i = 0; i < 10; i++)
        fail_ssh(T0 + i * 1000, "10.0.0.1");
    ck_assert_uint_eq(count_rule("ssh_brute_force"), 1);
    /* 16 within 60 s: still one. */
    for (int i = 0; i < 16; i++)
        fail_ssh(T0 + 3600000 + i * 3700, "10.0.0.9");
    ck_assert_uint_eq(count_rule("ssh_brute_force"), 2);
    ck_assert_str_ne(rec.a[0].id, rec.a[1].id);
    struct corr_rule_stats st;
    ck_assert_int_eq(corr_rule_stats(eng, 0, &st), 0);
    ck_assert_uint_eq(st.alerts, 2);
    ck_assert_uint_eq(st.matched, 26);
    ck_assert_uint_eq(st.counted, 16);
    ck_assert_uint_eq(st.suppressed, 2 + 8);
    ck_assert_int_eq(corr_rule_stats(eng, 5, &st), -1);
}
END_TEST

/* Every kind of sshd failure the decoders read counts towards the same
 * brute force; a disconnect does not. */
START_TEST(every_failure_kind_counts)
{
    static const char *const kinds[] = {"ssh_login", "ssh_invalid_user", "ssh_user_denied",
                                        "ssh_max_auth_attempts", "ssh_pam_failure"};
    for (int i = 0; i < 7; i++) {
        ck_assert_int_ge(feed_free(eng, ev_make(T0 + i * 1000, NULL, kinds[i % 5], "failure",
                                                "10.0.0.3", "root")),
                         0);
        ck_assert_int_ge(feed_free(eng, ev_make(T0 + i * 1000 + 1, NULL, "ssh_disconnect",
                                                "failure", "10.0.0.3", "root")),
                         0);
    }
    ck_assert_uint_eq(count_rule("ssh_brute_force"), 0);
    ck_assert_int_ge(
        feed_free(eng, ev_make(T0 + 8000, NULL, "ssh_user_denied", "failure", "10.0.0.3", "x")), 0);
    ck_assert_uint_eq(count_rule("ssh_brute_force"), 1);
}
END_TEST

START_TEST(resumes_after_suppression)
{
    for (int i = 0; i < 8; i++)
        fail_ssh(T0 + i * 1000, "10.0.0.1");
    ck_assert_uint_eq(rec.n, 1); /* fired at 7 s: quiet until 67 s */
    for (int i = 0; i < 8; i++)
        fail_ssh(T0 + 30000 + i * 4000, "10.0.0.1"); /* 30..58 s: not counted */
    fail_ssh(T0 + 66999, "10.0.0.1");
    ck_assert_uint_eq(rec.n, 1);
    for (int i = 0; i < 7; i++)
        fail_ssh(T0 + 67000 + i * 1000, "10.0.0.1");
    ck_assert_uint_eq(rec.n, 1); /* 7 counted since: the suppressed ones are gone */
    fail_ssh(T0 + 74000, "10.0.0.1");
    ck_assert_uint_eq(rec.n, 2);
    ck_assert_str_ne(rec.a[0].id, rec.a[1].id);
    cJSON *doc = cJSON_Parse(rec.a[1].json);
    char buf[64];
    text_of(doc, "window.start", buf, sizeof(buf));
    ck_assert_str_eq(buf, "2026-12-01T00:01:07.000Z");
    text_of(doc, "count", buf, sizeof(buf));
    ck_assert_str_eq(buf, "8");
    cJSON_Delete(doc);
}
END_TEST

START_TEST(groups_are_separate)
{
    for (int i = 0; i < 7; i++) {
        fail_ssh(T0 + i * 1000, "10.0.0.1");
        fail_ssh(T0 + i * 1000 + 500, "10.0.0.2");
    }
    ck_assert_uint_eq(rec.n, 0);
    fail_ssh(T0 + 9000, "10.0.0.2");
    ck_assert_uint_eq(rec.n, 1);
    ck_assert_ptr_nonnull(strstr(rec.a[0].json, "\"value\":\"10.0.0.2\""));
    fail_ssh(T0 + 9500, "10.0.0.1");
    ck_assert_uint_eq(rec.n, 2);
    ck_assert_ptr_nonnull(strstr(rec.a[1].json, "\"value\":\"10.0.0.1\""));
}
END_TEST

START_TEST(what_counts)
{
    /* Invalid users count with failed logins; successes, other programs
     * and events without a source address do not. */
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(feed_free(eng, ev_make(T0 + i, NULL, "ssh_invalid_user", "failure",
                                                "10.0.0.1", "admin")),
                         0);
    for (int i = 0; i < 3; i++)
        fail_ssh(T0 + 10 + i, "10.0.0.1");
    cJSON *ev = ev_make(T0 + 20, NULL, "ssh_login", "failure", "10.0.0.1", "root");
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(ev, "process"), "name",
                              cJSON_CreateString("dropbear"));
    feed_free(eng, ev);
    feed_free(eng, ev_make(T0 + 21, NULL, "ssh_login", "success", "10.0.0.1", "root"));
    feed_free(eng, ev_make(T0 + 22, NULL, "ssh_login", "failure", NULL, "root"));
    ck_assert_uint_eq(count_rule("ssh_brute_force"), 0);
    struct corr_rule_stats st;
    corr_rule_stats(eng, 0, &st);
    ck_assert_uint_eq(st.counted, 7);
    ck_assert_uint_eq(st.ungrouped, 1);
    fail_ssh(T0 + 30, "10.0.0.1");
    ck_assert_uint_eq(count_rule("ssh_brute_force"), 1);
    /* No usable time: ignored and counted. */
    ev = ev_make(T0, NULL, "ssh_login", "failure", "10.0.0.1", "root");
    cJSON_ReplaceItemInObject(cJSON_GetObjectItem(ev, "event"), "created",
                              cJSON_CreateString("yesterday"));
    cJSON_DeleteItemFromObject(ev, "@timestamp");
    ck_assert_int_eq(feed_free(eng, ev), 0);
    ck_assert_uint_eq(corr_engine_untimed(eng), 1);
}
END_TEST

START_TEST(timestamp_fallback)
{
    for (int i = 0; i < 8; i++) {
        cJSON *ev = ev_make(T0 + i * 1000, NULL, "ssh_login", "failure", "10.0.0.1", "root");
        cJSON_DeleteItemFromObject(cJSON_GetObjectItem(ev, "event"), "created");
        feed_free(eng, ev);
    }
    ck_assert_uint_eq(rec.n, 1);
    ck_assert_ptr_nonnull(strstr(rec.a[0].json, "\"@timestamp\":\"2026-12-01T00:00:07.000Z\""));
    ck_assert_uint_eq(corr_engine_untimed(eng), 0);
}
END_TEST

START_TEST(trigger_rule)
{
    const char *succ = "5555555555555555aaaaaaaaaaaaaaaa";
    /* A success from an address never seen: nothing, and no group. */
    feed_free(eng, ev_make(T0, NULL, "ssh_login", "success", "10.0.0.7", "root"));
    struct corr_rule_stats st;
    corr_rule_stats(eng, 2, &st);
    ck_assert_uint_eq(st.groups, 0);
    /* 3 failures, then a success: one alert. */
    for (int i = 0; i < 3; i++)
        fail_ssh(T0 + i * 10000, "10.0.0.1");
    ck_assert_uint_eq(rec.n, 0);
    ck_assert_int_eq(
        feed_free(eng, ev_make(T0 + 299999, succ, "ssh_login", "success", "10.0.0.1", "root")), 1);
    ck_assert_uint_eq(count_rule("ssh_login_after_failures"), 1);
    char want[CORR_ALERT_ID_LEN];
    corr_alert_id("ssh_login_after_failures", "10.0.0.1", succ, want);
    ck_assert_str_eq(rec.a[0].id, want);
    cJSON *doc = cJSON_Parse(rec.a[0].json);
    char buf[64];
    text_of(doc, "count", buf, sizeof(buf));
    ck_assert_str_eq(buf, "3");
    text_of(doc, "event.severity", buf, sizeof(buf));
    ck_assert_str_eq(buf, "99");
    cJSON_Delete(doc);
    /* The firing emptied the window: a second success does nothing. */
    feed_free(eng, ev_make(T0 + 300000, NULL, "ssh_login", "success", "10.0.0.1", "root"));
    ck_assert_uint_eq(rec.n, 1);
    /* Two failures are not enough. */
    for (int i = 0; i < 2; i++)
        fail_ssh(T0 + i * 1000, "10.0.0.2");
    feed_free(eng, ev_make(T0 + 5000, NULL, "ssh_login", "success", "10.0.0.2", "root"));
    /* Three, but the first left the 5 min window 1 ms before the success. */
    for (int i = 0; i < 3; i++)
        fail_ssh(T0 + i * 10000, "10.0.0.3");
    feed_free(eng, ev_make(T0 + 300001, NULL, "ssh_login", "success", "10.0.0.3", "root"));
    ck_assert_uint_eq(rec.n, 1);
    /* A fourth makes it 3 again. */
    fail_ssh(T0 + 300002, "10.0.0.3");
    feed_free(eng, ev_make(T0 + 300003, NULL, "ssh_login", "success", "10.0.0.3", "root"));
    ck_assert_uint_eq(count_rule("ssh_login_after_failures"), 2);
}
END_TEST

START_TEST(sudo_rule)
{
    for (int i = 0; i < 2; i++)
        feed_free(eng, ev_make(T0 + i * 60000, NULL, "sudo_auth", "failure", NULL, "alice"));
    for (int i = 0; i < 3; i++)
        feed_free(eng, ev_make(T0 + i * 60000, NULL, "sudo_auth", "failure", NULL, "bob"));
    feed_free(eng, ev_make(T0 + 1000, NULL, "sudo_auth", "success", NULL, "alice"));
    ck_assert_uint_eq(rec.n, 1);
    ck_assert_str_eq(rec.a[0].rule, "sudo_auth_failures");
    ck_assert_ptr_nonnull(strstr(rec.a[0].json, "\"value\":\"bob\""));
}
END_TEST

/* The same events through two engines: the same alerts, byte for byte;
 * other event ids: other alert ids. */
START_TEST(deterministic_ids)
{
    struct recorder other = {0};
    corr_engine *e2 = corr_engine_new(&rules, 0, rec_alert_fn, &other);
    char id[CORR_ALERT_ID_LEN];
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < 8; i++) {
            snprintf(id, sizeof(id), "%032x", i + pass * 100);
            cJSON *ev = ev_make(T0 + i * 1000, id, "ssh_login", "failure", "10.0.0.1", "root");
            corr_feed(pass == 0 ? eng : e2, ev, 0);
            if (pass == 0)
                corr_feed(e2, ev, 0);
            cJSON_Delete(ev);
        }
    }
    ck_assert_uint_eq(rec.n, 1);
    ck_assert_uint_eq(other.n, 1); /* pass 1 came during e2's suppression */
    ck_assert_str_eq(rec.a[0].json, other.a[0].json);
    corr_engine *e3 = corr_engine_new(&rules, 0, rec_alert_fn, &other);
    for (int i = 0; i < 8; i++) {
        snprintf(id, sizeof(id), "%032x", i + 100);
        feed_free(e3, ev_make(T0 + i * 1000, id, "ssh_login", "failure", "10.0.0.1", "root"));
    }
    ck_assert_uint_eq(other.n, 2);
    ck_assert_str_ne(rec.a[0].id, other.a[1].id);
    corr_engine_free(e2);
    corr_engine_free(e3);
    rec_free(&other);
}
END_TEST

START_TEST(replay_repeats_known_firings_only)
{
    cJSON *evs[12];
    char id[CORR_ALERT_ID_LEN];
    for (int i = 0; i < 12; i++) {
        snprintf(id, sizeof(id), "%032x", i + 1);
        evs[i] = ev_make(T0 + i * 1000, id, "ssh_login", "failure", "10.0.0.1", "root");
    }
    ck_assert_int_eq(corr_known_alert(eng, "no_such_rule", "00000000000000000000000000000003"), 0);
    ck_assert_int_eq(corr_known_alert(eng, "ssh_brute_force", ""), 0);
    ck_assert_int_eq(corr_known_alert(eng, "ssh_brute_force", "000000000000000000000000000000030"),
                     0);
    ck_assert_int_eq(corr_known_alert(eng, "ssh_brute_force", "00000000000000000000000000000003"),
                     1);
    /* Known firing at the third event: repeated, not emitted; the group is
     * then suppressed for 60 s, so nothing reaches 8 within the 12. */
    int repeated = 0;
    for (int i = 0; i < 12; i++)
        repeated += corr_feed(eng, evs[i], 1);
    ck_assert_int_eq(repeated, 1);
    ck_assert_uint_eq(rec.n, 0);
    struct corr_rule_stats st;
    corr_rule_stats(eng, 0, &st);
    ck_assert_uint_eq(st.replayed, 1);
    ck_assert_uint_eq(st.suppressed, 9);
    /* Without a known firing, replay counts but never emits. */
    corr_engine *e2 = corr_engine_new(&rules, 0, rec_alert_fn, &rec);
    for (int i = 0; i < 12; i++)
        ck_assert_int_eq(corr_feed(e2, evs[i], 1), 0);
    ck_assert_uint_eq(rec.n, 0);
    corr_rule_stats(e2, 0, &st);
    ck_assert_uint_eq(st.counted, 12);
    corr_engine_free(e2);
    for (int i = 0; i < 12; i++)
        cJSON_Delete(evs[i]);
    /* sudo_auth_failures: 5 min window + 5 min suppression. */
    ck_assert_int_eq(corr_replay_horizon_ms(&rules), 600000);
}
END_TEST

Suite *corr_engine_suite(void)
{
    Suite *s = suite_create("siem-corr-engine");
    TCase *tc = tcase_create("engine");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, threshold_exactly_eight);
    tcase_add_test(tc, window_slides);
    tcase_add_test(tc, ten_failures_one_alert);
    tcase_add_test(tc, every_failure_kind_counts);
    tcase_add_test(tc, resumes_after_suppression);
    tcase_add_test(tc, groups_are_separate);
    tcase_add_test(tc, what_counts);
    tcase_add_test(tc, timestamp_fallback);
    tcase_add_test(tc, trigger_rule);
    tcase_add_test(tc, sudo_rule);
    tcase_add_test(tc, deterministic_ids);
    tcase_add_test(tc, replay_repeats_known_firings_only);
    suite_add_tcase(s, tc);
    return s;
}
