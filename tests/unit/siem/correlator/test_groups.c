/* The bound on groups (groups.c): the table against a model, and what
 * eviction does to an engine's counts. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "fixture.h"
#include "groups.h"

/* The group table against a plain model: the same groups held, the
 * least recently used one evicted, through many index deletions. */
START_TEST(group_table_matches_model)
{
    enum { KEYS = 200, MAX = 16 };
    struct corr_groups gs;
    ck_assert_int_eq(corr_groups_init(&gs, MAX, 4, 1000000000), 0);
    uint64_t last[KEYS] = {0}; /* tick of last use, 0: not held */
    uint64_t evictions = 0, seed = 12345;
    char key[16];
    for (uint64_t tick = 1; tick <= 20000; tick++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        int k = (int)((seed >> 33) % (tick % 3 ? 24 : KEYS)); /* hot keys and cold ones */
        snprintf(key, sizeof(key), "k%d", k);
        if (!last[k]) {
            int held = 0, lru = -1;
            for (int j = 0; j < KEYS; j++)
                if (last[j]) {
                    held++;
                    lru = lru < 0 || last[j] < last[lru] ? j : lru;
                }
            if (held == MAX) {
                last[lru] = 0;
                evictions++;
            }
        }
        last[k] = tick;
        struct corr_group *g = corr_groups_get(&gs, key, T0 + (int64_t)tick, tick);
        ck_assert_ptr_nonnull(g);
        corr_group_push(&gs, g, T0 + (int64_t)tick, "x");
        if (tick % 97 == 0 || tick > 19900)
            for (int j = 0; j < KEYS; j++) {
                snprintf(key, sizeof(key), "k%d", j);
                ck_assert_msg((corr_groups_find(&gs, key) != NULL) == (last[j] != 0),
                              "tick %llu key %d", (unsigned long long)tick, j);
            }
    }
    ck_assert_uint_eq(gs.evicted, evictions);
    ck_assert_uint_eq(gs.used, MAX);
    corr_groups_free(&gs);
}
END_TEST

START_TEST(eviction_bound)
{
    struct corr_rules r3;
    char err[256];
    ck_assert_int_eq(corr_rules_parse("rule three\n match event.outcome = failure\n"
                                      " group source.ip\n threshold 3\n window 10s\n"
                                      " severity low\nend\n",
                                      "t", &r3, err, sizeof(err)),
                     0);
    struct recorder r = {0};
    corr_engine *e = corr_engine_new(&r3, 4, rec_alert_fn, &r);
    char ip[32];
    struct corr_rule_stats st;
    for (int g = 1; g <= 4; g++) {
        snprintf(ip, sizeof(ip), "10.0.0.%d", g);
        for (int i = 0; i < 2; i++)
            feed_free(e, ev_make(T0 + g * 10 + i, NULL, "ssh_login", "failure", ip, NULL));
    }
    corr_rule_stats(e, 0, &st);
    ck_assert_uint_eq(st.groups, 4);
    ck_assert_uint_eq(st.evicted, 0);
    /* A fifth address pushes out the least recently used, 10.0.0.1... */
    feed_free(e, ev_make(T0 + 100, NULL, "ssh_login", "failure", "10.0.0.5", NULL));
    corr_rule_stats(e, 0, &st);
    ck_assert_uint_eq(st.groups, 4);
    ck_assert_uint_eq(st.evicted, 1);
    /* ...whose third failure then starts over instead of firing. */
    feed_free(e, ev_make(T0 + 101, NULL, "ssh_login", "failure", "10.0.0.1", NULL));
    ck_assert_uint_eq(r.n, 0);
    corr_rule_stats(e, 0, &st);
    ck_assert_uint_eq(st.evicted, 2); /* 10.0.0.2 went for it */
    /* 10.0.0.3 is still held: its third failure fires. */
    feed_free(e, ev_make(T0 + 102, NULL, "ssh_login", "failure", "10.0.0.3", NULL));
    ck_assert_uint_eq(r.n, 1);
    /* Once the windows have passed, new groups reuse dead ones: no eviction. */
    for (int g = 6; g < 12; g++) {
        snprintf(ip, sizeof(ip), "10.0.0.%d", g);
        feed_free(e, ev_make(T0 + 20000 + g * 20000, NULL, "ssh_login", "failure", ip, NULL));
    }
    corr_rule_stats(e, 0, &st);
    ck_assert_uint_eq(st.evicted, 2);
    ck_assert_uint_eq(st.groups, 4);
    corr_engine_free(e);
    corr_rules_free(&r3);
    rec_free(&r);
}
END_TEST

Suite *corr_groups_suite(void)
{
    Suite *s = suite_create("siem-corr-groups");
    TCase *tc = tcase_create("groups");
    tcase_add_test(tc, group_table_matches_model);
    tcase_add_test(tc, eviction_bound);
    suite_add_tcase(s, tc);
    return s;
}
