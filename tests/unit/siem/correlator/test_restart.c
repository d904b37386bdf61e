/* Restart exactness (engine.h, steps 1-4): a correlator rebuilt from the
 * published alerts and a replay from time(F) - H emits, after the ack floor
 * F, exactly the alerts of a run that never stopped. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "fixture.h"
#include "groups.h"
#include "siemtime.h"

#define N_EVENTS 3000

static struct corr_rules rules;
static int n_ev; /* events in ev[] */
static cJSON *ev[N_EVENTS];
static int64_t when[N_EVENTS];
static struct recorder ra;              /* the run that never stopped */
static char (*trig)[CORR_EVENT_ID_LEN]; /* trigger event id of each of ra's alerts */

/* A fixed-seed xorshift64*: the same stream on every host. */
static uint64_t seed = 0x2545f4914f6cdd1dULL;
static uint32_t rnd(uint32_t n)
{
    seed ^= seed >> 12;
    seed ^= seed << 25;
    seed ^= seed >> 27;
    return (uint32_t)((seed * 0x2545f4914f6cdd1dULL) >> 32) % n;
}

/* Several addresses and users; bursts of failures from one address;
 * quiet gaps of minutes and of half an hour; successes after failures. */
static void make_stream(void)
{
    static const char *const ips[] = {"198.51.100.1", "198.51.100.2", "198.51.100.3",
                                      "203.0.113.7",  "203.0.113.8",  "2001:db8::5"};
    static const char *const users[] = {"root", "alice", "bob", "carol"};
    int64_t t = T0;
    int burst = 0;
    const char *burst_ip = ips[0];
    for (int k = 0; k < N_EVENTS; k++) {
        uint32_t r = rnd(1000);
        if (burst > 0) {
            t += rnd(3000);
        } else if (r < 8) {
            t += 600000 + rnd(1200000);
        } else if (r < 80) {
            t += 20000 + rnd(100000);
        } else {
            t += rnd(9000);
        }
        if (burst == 0 && rnd(100) < 6) {
            burst = 6 + (int)rnd(15);
            burst_ip = ips[rnd(6)];
        }
        const char *ip = burst ? burst_ip : ips[rnd(6)];
        uint32_t kind = burst ? 0 : rnd(100);
        if (burst)
            burst--;
        if (kind < 60)
            ev[k] = ev_make(t, NULL, rnd(4) ? "ssh_login" : "ssh_invalid_user", "failure", ip,
                            users[rnd(4)]);
        else if (kind < 75)
            ev[k] = ev_make(t, NULL, "ssh_login", "success", ip, users[rnd(4)]);
        else if (kind < 93)
            ev[k] = ev_make(t, NULL, "sudo_auth", "failure", NULL, users[rnd(4)]);
        else
            ev[k] = ev_make(t, NULL, "cron_job", "success", NULL, "root");
        when[k] = t;
    }
}

/* Feeds ev[] through an engine that never stops, recording into ra. */
static void run_uninterrupted(void)
{
    memset(&ra, 0, sizeof(ra));
    corr_engine *a = corr_engine_new(&rules, 0, rec_alert_fn, &ra);
    for (int k = 0; k < n_ev; k++) {
        ra.at = k;
        ck_assert_int_ge(corr_feed(a, ev[k], 0), 0);
    }
    for (size_t i = 0; i < rules.count; i++) {
        struct corr_rule_stats st;
        corr_rule_stats(a, i, &st);
        ck_assert_uint_eq(st.evicted, 0);
    }
    corr_engine_free(a);
    trig = calloc(ra.n + 1, sizeof(*trig));
    for (size_t i = 0; i < ra.n; i++) {
        cJSON *doc = cJSON_Parse(ra.a[i].json);
        ck_assert_int_eq(siem_field_text(doc, "trigger.event_id", trig[i], sizeof(trig[i])), 32);
        cJSON_Delete(doc);
    }
}

static void setup(void)
{
    load_default_rules(&rules);
    make_stream();
    n_ev = N_EVENTS;
    run_uninterrupted();
}

static void teardown(void)
{
    for (int k = 0; k < n_ev; k++)
        cJSON_Delete(ev[k]);
    free(trig);
    rec_free(&ra);
    corr_rules_free(&rules);
}

/* Restarts at ack floor f, replaying from event `from` and registering
 * the alerts whose trigger came at index known_from or later (up to f).
 * Returns 1 when the alerts after f equal ra's exactly. */
static int restart_matches(int f, int from, int known_from, int register_known)
{
    struct recorder rb = {0};
    corr_engine *b = corr_engine_new(&rules, 0, rec_alert_fn, &rb);
    ck_assert_ptr_nonnull(b);
    for (size_t i = 0; register_known && i < ra.n; i++)
        if (ra.a[i].at >= known_from && ra.a[i].at <= f)
            ck_assert_int_eq(corr_known_alert(b, ra.a[i].rule, trig[i]), 1);
    for (int k = from; k <= f; k++)
        ck_assert_int_ge(corr_feed(b, ev[k], 1), 0);
    ck_assert_msg(rb.n == 0, "the replay emitted %zu alerts", rb.n);
    for (int k = f + 1; k < n_ev; k++) {
        rb.at = k;
        ck_assert_int_ge(corr_feed(b, ev[k], 0), 0);
    }
    size_t first = 0;
    while (first < ra.n && ra.a[first].at <= f)
        first++;
    int same = rb.n == ra.n - first;
    for (size_t i = 0; same && i < rb.n; i++)
        same = rb.a[i].at == ra.a[first + i].at && strcmp(rb.a[i].id, ra.a[first + i].id) == 0 &&
               strcmp(rb.a[i].json, ra.a[first + i].json) == 0;
    corr_engine_free(b);
    rec_free(&rb);
    return same;
}

/* The first event at or after time(f) - H. */
static int replay_start(int f)
{
    int64_t from = when[f] - corr_replay_horizon_ms(&rules);
    int s = f;
    while (s > 0 && when[s - 1] >= from)
        s--;
    return s;
}

START_TEST(stream_is_interesting)
{
    /* The stream must exercise the sshd and sudo rules and their
     * suppression, or the restart test below proves little (the PAM and
     * mail/FTP rules count the same way on other fields). */
    size_t per_rule[16] = {0};
    ck_assert_uint_le(rules.count, 16);
    for (size_t i = 0; i < ra.n; i++)
        for (size_t r = 0; r < rules.count; r++)
            per_rule[r] += strcmp(ra.a[i].rule, rules.rule[r].name) == 0;
    ck_assert_uint_ge(per_rule[0], 20);
    ck_assert_uint_ge(per_rule[1], 10);
    ck_assert_uint_ge(per_rule[2], 10);
    ck_assert_int_gt(when[N_EVENTS - 1] - when[0], 20 * corr_replay_horizon_ms(&rules));
}
END_TEST

START_TEST(restart_is_exact)
{
    int tried = 0;
    /* Crash points: a stride over the stream, and around every alert,
     * where the suppression state matters most. */
    for (int f = 0; f < N_EVENTS - 1; f += 29) {
        ck_assert_msg(restart_matches(f, replay_start(f), replay_start(f), 1),
                      "restart at %d differs", f);
        tried++;
    }
    for (size_t i = 0; i < ra.n; i++) {
        /* Just before, at and just after the trigger, in turn. */
        int d = (int)(i % 3) - 1, f = (int)ra.a[i].at + d;
        if (f < 0 || f >= N_EVENTS - 1)
            continue;
        ck_assert_msg(restart_matches(f, replay_start(f), replay_start(f), 1),
                      "restart at %d (alert %zu%+d) differs", f, i, d);
        tried++;
    }
    ck_assert_int_gt(tried, 300);
}
END_TEST

START_TEST(earlier_replay_and_extra_alerts_are_harmless)
{
    for (int f = 5; f < N_EVENTS - 1; f += 53) {
        int s = replay_start(f), earlier = s - (int)rnd(300);
        earlier = earlier < 0 ? 0 : earlier;
        /* Alerts registered from well before the replay start: their
         * triggers are never replayed, so they change nothing. */
        ck_assert_msg(restart_matches(f, earlier, earlier > 400 ? earlier - 400 : 0, 1),
                      "restart at %d replaying from %d differs", f, earlier);
    }
}
END_TEST

/* The test has teeth: leaving the published alerts out, or replaying too
 * little, gives a different result at some crash points. */
START_TEST(without_known_alerts_restarts_differ)
{
    int differ_unknown = 0, differ_short = 0;
    for (size_t i = 0; i < ra.n && !(differ_unknown && differ_short); i++) {
        int f = (int)ra.a[i].at;
        if (f >= N_EVENTS - 1)
            continue;
        differ_unknown += !restart_matches(f, replay_start(f), replay_start(f), 0);
        int late = f - 2 > replay_start(f) ? f - 2 : replay_start(f);
        differ_short += !restart_matches(f, late, late, 1);
    }
    ck_assert_int_gt(differ_unknown, 0);
    ck_assert_int_gt(differ_short, 0);
}
END_TEST

/* The case the random stream may miss: the replay sees events that the
 * first run ignored (its group was suppressed by a firing before the
 * horizon). Had the replay fired on them, it would still be suppressed
 * after F, when the first run fires. */
START_TEST(replay_does_not_fire_on_ignored_events)
{
    char err[256];
    ck_assert_int_eq(corr_rules_parse("rule brute\n match event.outcome = failure\n"
                                      " group source.ip\n threshold 8\n window 120s\n"
                                      " suppress 60s\n severity high\nend\n",
                                      "t", &rules, err, sizeof(err)),
                     0);
    ck_assert_int_eq(corr_replay_horizon_ms(&rules), 180000);
    static const int secs[] = {3,   4,   5,   6,   7,   8,   9,  10, /* fires at 10 s */
                               56,  58,  60,  62,  64,  66,  68,     /* ignored until 70 s */
                               175, 195,                             /* F: a success */
                               200, 202, 204, 206, 208, 210, 212};   /* the 8th fires */
    n_ev = (int)(sizeof(secs) / sizeof(secs[0]));
    for (int k = 0; k < n_ev; k++) {
        when[k] = T0 + secs[k] * 1000LL;
        ev[k] =
            ev_make(when[k], NULL, "ssh_login", k == 16 ? "success" : "failure", "192.0.2.1", NULL);
    }
    run_uninterrupted();
    ck_assert_uint_eq(ra.n, 2);
    ck_assert_int_eq(ra.a[1].at, n_ev - 1);
    int f = 16, s = replay_start(f);
    ck_assert_int_eq(secs[s], 56); /* time(F) - H = 15 s */
    ck_assert(restart_matches(f, s, s, 1));
    teardown();
}
END_TEST

Suite *corr_restart_suite(void)
{
    Suite *s = suite_create("siem-corr-restart");
    TCase *tc = tcase_create("restart");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, stream_is_interesting);
    tcase_add_test(tc, restart_is_exact);
    tcase_add_test(tc, earlier_replay_and_extra_alerts_are_harmless);
    tcase_add_test(tc, without_known_alerts_restarts_differ);
    suite_add_tcase(s, tc);
    tc = tcase_create("restart-case");
    tcase_add_test(tc, replay_does_not_fire_on_ignored_events);
    suite_add_tcase(s, tc);
    return s;
}
