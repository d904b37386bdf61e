/* Event times bounded by the stream's reception time (engine.c,
 * corr_event_time) and the alerts about the SIEM itself (health.c). */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "field.h"
#include "fixture.h"
#include "health.h"
#include "siemtime.h"

#define Y2200 7258118400000LL /* 2200-01-01T00:00:00Z */

START_TEST(clamp_into_skew)
{
    cJSON *ev = ev_make(T0, NULL, "ssh_login", "failure", "10.0.0.1", "root");
    int64_t ms;
    ck_assert_int_eq(corr_event_time(ev, CORR_NO_TIME, 0, 0, &ms), 0);
    ck_assert_int_eq(ms, T0);
    ck_assert_int_eq(corr_event_time(ev, T0 + 3000, 600000, 5000, &ms), 0);
    ck_assert_int_eq(ms, T0);
    ck_assert_int_eq(corr_event_time(ev, T0 - 5000, 600000, 5000, &ms), 0);
    ck_assert_int_eq(ms, T0);
    ck_assert_int_eq(corr_event_time(ev, T0 - 5001, 600000, 5000, &ms), 1);
    ck_assert_int_eq(ms, T0 - 1);
    ck_assert_int_eq(corr_event_time(ev, T0 + 600001, 600000, 5000, &ms), 1);
    ck_assert_int_eq(ms, T0 + 1);
    cJSON_Delete(ev);
    ev = ev_make(Y2200, NULL, "ssh_login", "failure", "10.0.0.1", "root");
    ck_assert_int_eq(corr_event_time(ev, T0, 600000, 5000, &ms), 1);
    ck_assert_int_eq(ms, T0 + 5000);
    cJSON_Delete(ev);
    ev = cJSON_Parse("{\"event\":{\"created\":\"not a time\"}}");
    ck_assert_int_eq(corr_event_time(ev, T0, 600000, 5000, &ms), -1);
    cJSON_Delete(ev);
}
END_TEST

static size_t count_rule(const struct recorder *rec, const char *rule, int64_t from)
{
    size_t n = 0;
    for (size_t i = 0; i < rec->n; i++) {
        cJSON *a = cJSON_Parse(rec->a[i].json);
        char t[64] = "";
        int64_t ms = 0;
        siem_field_text(a, "@timestamp", t, sizeof(t));
        siem_time_parse_ms(t, &ms);
        n += strcmp(rec->a[i].rule, rule) == 0 && ms >= from && ms < from + 86400000;
        cJSON_Delete(a);
    }
    return n;
}

/* The attack of issue 16: nine events dated 2200 for one address (eight
 * failures, then a success) suppressed it until 2200. Fed with their
 * reception times they count at reception + 5 s, and a real brute force
 * from the address ten seconds later still fires. */
START_TEST(forged_future_cannot_blind)
{
    for (int clamp = 0; clamp < 2; clamp++) {
        struct corr_rules rules;
        struct recorder rec = {0};
        load_default_rules(&rules);
        corr_engine *e = corr_engine_new(&rules, 0, rec_alert_fn, &rec);
        for (int i = 0; i < 9; i++) {
            cJSON *ev = ev_make(Y2200 + i, NULL, "ssh_login", i == 8 ? "success" : "failure",
                                "10.0.0.9", "root");
            ck_assert_int_ge(corr_feed_at(e, ev, clamp ? T0 + i : CORR_NO_TIME, 0), 0);
            cJSON_Delete(ev);
        }
        int64_t real = T0 + 10000;
        for (int i = 0; i <= 10; i++) {
            cJSON *ev = ev_make(real + i * 1000, NULL, "ssh_login", i == 10 ? "success" : "failure",
                                "10.0.0.9", "root");
            ck_assert_int_ge(corr_feed_at(e, ev, real + i * 1000 + 20, 0), 0);
            cJSON_Delete(ev);
        }
        size_t after = count_rule(&rec, "ssh_login_after_failures", real);
        if (clamp) {
            ck_assert_uint_eq(after, 1);
            ck_assert_uint_eq(corr_engine_clamped(e), 9);
        } else {
            ck_assert_uint_eq(after, 0); /* the blindness the clamp removes */
        }
        corr_engine_free(e);
        corr_rules_free(&rules);
        rec_free(&rec);
    }
}
END_TEST

static cJSON *beat(const char *module, const char *instance, const char *counters)
{
    char buf[512];
    snprintf(buf, sizeof(buf), "{\"module\":\"%s\",\"instance\":\"%s\",\"counters\":%s}", module,
             instance, counters);
    cJSON *b = cJSON_Parse(buf);
    ck_assert_ptr_nonnull(b);
    return b;
}

/* Feeds a heartbeat; returns the alert's rule name or "" (and frees both). */
static const char *feed_beat(struct health_watch *w, const char *module, const char *instance,
                             const char *counters, int64_t now)
{
    static char rule[64];
    cJSON *b = beat(module, instance, counters), *a = health_beat(w, b, now);
    rule[0] = '\0';
    if (a) {
        ck_assert_int_ge(siem_field_text(a, "rule.name", rule, sizeof(rule)), 0);
        char kind[16];
        ck_assert_int_ge(siem_field_text(a, "event.kind", kind, sizeof(kind)), 0);
        ck_assert_str_eq(kind, "alert");
        ck_assert_ptr_nonnull(siem_field(a, "event.id"));
    }
    cJSON_Delete(a);
    cJSON_Delete(b);
    return rule;
}

START_TEST(store_evicting_young_alerts_once)
{
    struct health_watch w;
    health_init(&w);
    ck_assert_str_eq(feed_beat(&w, "store", "s1", "{\"evicted_young\":0}", T0), "");
    ck_assert_str_eq(feed_beat(&w, "store", "s1", "{\"evicted_young\":0}", T0 + 2000), "");
    ck_assert_str_eq(feed_beat(&w, "store", "s1", "{\"evicted_young\":40}", T0 + 4000),
                     HEALTH_RULE_EVICTING);
    /* Still rising: no flood within the suppression... */
    ck_assert_str_eq(feed_beat(&w, "store", "s1", "{\"evicted_young\":80}", T0 + 6000), "");
    /* ...then again. */
    ck_assert_str_eq(
        feed_beat(&w, "store", "s1", "{\"evicted_young\":90}", T0 + 6000 + HEALTH_SUPPRESS_MS),
        HEALTH_RULE_EVICTING);
    /* A store already evicting when first heard of is reported. */
    ck_assert_str_eq(feed_beat(&w, "store", "s2", "{\"evicted_young\":5}", T0),
                     HEALTH_RULE_EVICTING);
    ck_assert_str_eq(feed_beat(&w, "correlator", "c1", "{\"evicted_young\":5}", T0), "");
    ck_assert_uint_eq(w.alerts, 3);
}
END_TEST

START_TEST(normaliser_cannot_publish)
{
    struct health_watch w;
    health_init(&w);
    char c[128];
    /* Retries now and then while events are published: fine. */
    for (int i = 0; i < 6; i++) {
        snprintf(c, sizeof(c), "{\"publish_retries\":%d,\"published\":%d}", i, 10 * i);
        ck_assert_str_eq(feed_beat(&w, "normaliser", "n1", c, T0 + i * 2000), "");
    }
    /* Retries rising, nothing published: the third such heartbeat alerts. */
    const char *want[] = {"", "", HEALTH_RULE_NO_PUBLISH, "", ""};
    for (int i = 0; i < 5; i++) {
        snprintf(c, sizeof(c), "{\"publish_retries\":%d,\"publish_failures\":%d,\"published\":50}",
                 10 + 5 * i, i);
        ck_assert_str_eq(feed_beat(&w, "normaliser", "n1", c, T0 + 20000 + i * 2000), want[i]);
    }
    /* Idle (nothing to publish, nothing failing): no alert. */
    for (int i = 0; i < 5; i++)
        ck_assert_str_eq(feed_beat(&w, "normaliser", "n2", "{\"publish_retries\":3}", T0 + i), "");
    ck_assert_uint_eq(w.alerts, 1);
}
END_TEST

Suite *corr_skew_suite(void)
{
    Suite *s = suite_create("siem-correlator-skew-health");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, clamp_into_skew);
    tcase_add_test(tc, forged_future_cannot_blind);
    tcase_add_test(tc, store_evicting_young_alerts_once);
    tcase_add_test(tc, normaliser_cannot_publish);
    suite_add_tcase(s, tc);
    return s;
}
