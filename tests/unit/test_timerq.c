/* Unit tests for kernel/timerq.c, the deadline-ordered timer queue, driven
 * by a fake clock (the "now" passed to timerq_pop_expired). */
#include <stddef.h>

#include "suites.h"
#include "timerq.h"

#define N 8

static struct timerq q;
static struct timer t[N];

static void setup(void)
{
    q = (struct timerq){NULL};
    for (int i = 0; i < N; i++)
        t[i] = (struct timer){.owner = &t[i]};
}

/* Pop everything (a clock at the end of time) and check it comes out as
 * exactly the timers listed, in that order, each unlinked and disarmed. */
static void assert_order(const int *want, int n)
{
    for (int i = 0; i < n; i++) {
        struct timer *got = timerq_pop_expired(&q, UINT64_MAX);
        ck_assert_msg(got == &t[want[i]], "pop %d: got timer %td, want %d", i,
                      got ? got - t : (ptrdiff_t)-1, want[i]);
        ck_assert_int_eq(got->armed, 0);
        ck_assert_ptr_null(got->next);
        ck_assert_ptr_eq(got->owner, &t[want[i]]);
    }
    ck_assert_ptr_null(timerq_pop_expired(&q, UINT64_MAX));
    ck_assert_uint_eq(timerq_next_deadline(&q), UINT64_MAX);
}

START_TEST(empty_queue)
{
    ck_assert_uint_eq(timerq_next_deadline(&q), UINT64_MAX);
    ck_assert_ptr_null(timerq_pop_expired(&q, 0));
    ck_assert_ptr_null(timerq_pop_expired(&q, UINT64_MAX));
}
END_TEST

START_TEST(ordered_by_deadline)
{
    const uint64_t d[] = {50, 10, 40, 20, 30};
    for (int i = 0; i < 5; i++) {
        timerq_add(&q, &t[i], d[i]);
        ck_assert_int_eq(t[i].armed, 1);
        ck_assert_uint_eq(t[i].deadline, d[i]);
    }
    ck_assert_uint_eq(timerq_next_deadline(&q), 10);
    const int want[] = {1, 3, 4, 2, 0};
    assert_order(want, 5);
}
END_TEST

START_TEST(equal_deadlines_fifo)
{
    timerq_add(&q, &t[0], 5);
    timerq_add(&q, &t[1], 5);
    timerq_add(&q, &t[2], 3);
    timerq_add(&q, &t[3], 5);
    timerq_add(&q, &t[4], 7);
    timerq_add(&q, &t[5], 5);
    const int want[] = {2, 0, 1, 3, 5, 4};
    assert_order(want, 6);
}
END_TEST

START_TEST(remove_head_middle_tail)
{
    for (int i = 0; i < 5; i++)
        timerq_add(&q, &t[i], 100 + (uint64_t)i);
    timerq_remove(&q, &t[0]); /* head */
    ck_assert_int_eq(t[0].armed, 0);
    ck_assert_uint_eq(timerq_next_deadline(&q), 101);
    timerq_remove(&q, &t[2]); /* middle */
    ck_assert_int_eq(t[2].armed, 0);
    timerq_remove(&q, &t[4]); /* tail */
    ck_assert_int_eq(t[4].armed, 0);
    ck_assert_uint_eq(timerq_next_deadline(&q), 101);
    const int want[] = {1, 3};
    assert_order(want, 2);
}
END_TEST

START_TEST(remove_only_timer)
{
    timerq_add(&q, &t[0], 42);
    timerq_remove(&q, &t[0]);
    ck_assert_ptr_null(q.head);
    ck_assert_uint_eq(timerq_next_deadline(&q), UINT64_MAX);
    ck_assert_ptr_null(timerq_pop_expired(&q, UINT64_MAX));
}
END_TEST

START_TEST(remove_unarmed_is_harmless)
{
    timerq_add(&q, &t[0], 10);
    timerq_add(&q, &t[1], 20);
    timerq_remove(&q, &t[2]); /* never added */
    timerq_remove(&q, &t[1]);
    timerq_remove(&q, &t[1]); /* twice */
    ck_assert_ptr_eq(timerq_pop_expired(&q, 10), &t[0]);
    timerq_remove(&q, &t[0]); /* already fired */
    ck_assert_int_eq(t[0].armed, 0);
    ck_assert_int_eq(t[1].armed, 0);
    ck_assert_int_eq(t[2].armed, 0);
    ck_assert_uint_eq(timerq_next_deadline(&q), UINT64_MAX);

    timerq_add(&q, &t[3], 30);
    timerq_remove(&q, &t[0]);
    const int want[] = {3};
    assert_order(want, 1);
}
END_TEST

START_TEST(readd_moves_not_duplicates)
{
    timerq_add(&q, &t[0], 10);
    timerq_add(&q, &t[1], 20);
    timerq_add(&q, &t[2], 30);
    timerq_add(&q, &t[0], 40); /* later */
    ck_assert_uint_eq(t[0].deadline, 40);
    ck_assert_uint_eq(timerq_next_deadline(&q), 20);
    timerq_add(&q, &t[2], 5); /* earlier */
    ck_assert_uint_eq(timerq_next_deadline(&q), 5);
    timerq_add(&q, &t[1], 20); /* same deadline: stays once */
    const int want[] = {2, 1, 0};
    assert_order(want, 3);
}
END_TEST

START_TEST(readd_same_deadline_goes_behind_peers)
{
    /* Re-arming is a new arming, so FIFO puts it after equal deadlines. */
    timerq_add(&q, &t[0], 10);
    timerq_add(&q, &t[1], 10);
    timerq_add(&q, &t[2], 10);
    timerq_add(&q, &t[0], 10);
    const int want[] = {1, 2, 0};
    assert_order(want, 3);
}
END_TEST

START_TEST(pop_expired_with_fake_clock)
{
    const uint64_t d[] = {300, 100, 400, 200, 300};
    for (int i = 0; i < 5; i++)
        timerq_add(&q, &t[i], d[i]);

    ck_assert_ptr_null(timerq_pop_expired(&q, 0));
    ck_assert_ptr_null(timerq_pop_expired(&q, 99));
    ck_assert_uint_eq(timerq_next_deadline(&q), 100);

    uint64_t now = 200; /* a deadline equal to now has expired */
    ck_assert_ptr_eq(timerq_pop_expired(&q, now), &t[1]);
    ck_assert_ptr_eq(timerq_pop_expired(&q, now), &t[3]);
    ck_assert_ptr_null(timerq_pop_expired(&q, now));
    ck_assert_uint_eq(timerq_next_deadline(&q), 300);

    now = 350;
    ck_assert_ptr_eq(timerq_pop_expired(&q, now), &t[0]);
    ck_assert_ptr_eq(timerq_pop_expired(&q, now), &t[4]);
    ck_assert_ptr_null(timerq_pop_expired(&q, now));
    ck_assert_int_eq(t[0].armed, 0);
    ck_assert_int_eq(t[2].armed, 1);

    timerq_add(&q, &t[1], 360); /* a fired timer can be armed again */
    now = 1000;
    ck_assert_ptr_eq(timerq_pop_expired(&q, now), &t[1]);
    ck_assert_ptr_eq(timerq_pop_expired(&q, now), &t[2]);
    ck_assert_ptr_null(timerq_pop_expired(&q, now));
    ck_assert_uint_eq(timerq_next_deadline(&q), UINT64_MAX);
}
END_TEST

START_TEST(extreme_deadlines)
{
    timerq_add(&q, &t[0], UINT64_MAX);
    ck_assert_uint_eq(timerq_next_deadline(&q), UINT64_MAX); /* but not empty */
    ck_assert_ptr_null(timerq_pop_expired(&q, UINT64_MAX - 1));
    timerq_add(&q, &t[1], 0);
    ck_assert_uint_eq(timerq_next_deadline(&q), 0);
    ck_assert_ptr_eq(timerq_pop_expired(&q, 0), &t[1]);
    ck_assert_ptr_eq(timerq_pop_expired(&q, UINT64_MAX), &t[0]);
    ck_assert_ptr_null(q.head);
}
END_TEST

/* A reference model: timer i is armed with deadline d[i] and arming
 * sequence s[i]; the next to fire has the least (deadline, sequence). */
START_TEST(random_against_model)
{
    enum { M = 64 };
    struct timer tm[M] = {{0}};
    uint64_t d[M] = {0}, seq[M] = {0}, next_seq = 1;
    int armed[M] = {0};
    uint32_t rng = 12345;

    for (int step = 0; step < 5000; step++) {
        rng = rng * 1103515245u + 12345u;
        int i = (int)((rng >> 16) % M);
        int op = (int)((rng >> 8) % 4);
        uint64_t now = (uint64_t)step * 4;
        if (op < 2) {
            uint64_t dl = now + (rng >> 24) % 64; /* few values: many ties */
            timerq_add(&q, &tm[i], dl);
            d[i] = dl;
            seq[i] = next_seq++;
            armed[i] = 1;
        } else if (op == 2) {
            timerq_remove(&q, &tm[i]);
            armed[i] = 0;
        } else {
            struct timer *got;
            while ((got = timerq_pop_expired(&q, now)) != NULL) {
                int best = -1;
                for (int j = 0; j < M; j++)
                    if (armed[j] && d[j] <= now &&
                        (best < 0 || d[j] < d[best] || (d[j] == d[best] && seq[j] < seq[best])))
                        best = j;
                ck_assert_msg(best >= 0, "step %d: popped a timer the model has not expired", step);
                ck_assert_msg(got == &tm[best], "step %d: popped %td, want %d", step, got - tm,
                              best);
                armed[best] = 0;
            }
        }
        uint64_t want = UINT64_MAX;
        for (int j = 0; j < M; j++) {
            ck_assert_int_eq(tm[j].armed, armed[j]);
            if (armed[j] && d[j] < want)
                want = d[j];
        }
        ck_assert_uint_eq(timerq_next_deadline(&q), want);
    }
}
END_TEST

Suite *timerq_suite(void)
{
    Suite *s = suite_create("timerq");
    TCase *tc = tcase_create("timerq");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, empty_queue);
    tcase_add_test(tc, ordered_by_deadline);
    tcase_add_test(tc, equal_deadlines_fifo);
    tcase_add_test(tc, remove_head_middle_tail);
    tcase_add_test(tc, remove_only_timer);
    tcase_add_test(tc, remove_unarmed_is_harmless);
    tcase_add_test(tc, readd_moves_not_duplicates);
    tcase_add_test(tc, readd_same_deadline_goes_behind_peers);
    tcase_add_test(tc, pop_expired_with_fake_clock);
    tcase_add_test(tc, extreme_deadlines);
    tcase_add_test(tc, random_against_model);
    suite_add_tcase(s, tc);
    return s;
}
