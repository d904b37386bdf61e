/* Unit tests for kernel/hwrng.c, the checks on RDRAND/RDSEED values, driven
 * by a fake instruction that replays a script of (carry, value) results. */
#include "hwrng.h"
#include "suites.h"

#define ONES UINT64_MAX

struct step {
    int carry;
    uint64_t v;
};

static const struct step *script;
static int script_len, executed;

/* The fake RDRAND: the script's next result; past its end, no value. */
static int fake_insn(uint64_t *v)
{
    int i = executed++;
    if (i >= script_len) {
        *v = 0;
        return 0;
    }
    *v = script[i].v;
    return script[i].carry;
}

static struct hwrng h;

#define PLAY(...)                                                                                  \
    do {                                                                                           \
        static const struct step s_[] = {__VA_ARGS__};                                             \
        script = s_;                                                                               \
        script_len = (int)(sizeof(s_) / sizeof(s_[0]));                                            \
    } while (0)

static void setup(void)
{
    h = (struct hwrng){.name = "fake", .insn = fake_insn};
    script = NULL;
    script_len = executed = 0;
}

START_TEST(check_accepts_a_value_with_carry)
{
    ck_assert_int_eq(hwrng_check(1, 0x0123456789abcdefull, 0, 0), HWRNG_OK);
    ck_assert_int_eq(hwrng_check(1, 0, 0, 0), HWRNG_OK); /* zero is a value like any */
    ck_assert_int_eq(hwrng_check(1, ONES - 1, 0, 0), HWRNG_OK);
    ck_assert_int_eq(hwrng_check(1, 5, 6, 1), HWRNG_OK);
}
END_TEST

START_TEST(check_rejects_clear_carry)
{
    ck_assert_int_eq(hwrng_check(0, 0x0123456789abcdefull, 0, 0), HWRNG_NO_VALUE);
    ck_assert_int_eq(hwrng_check(0, 0, 0, 0), HWRNG_NO_VALUE);
    ck_assert_int_eq(hwrng_check(0, ONES, 0, 0), HWRNG_NO_VALUE);
}
END_TEST

START_TEST(check_rejects_all_ones_with_carry)
{
    ck_assert_int_eq(hwrng_check(1, ONES, 0, 0), HWRNG_ALL_ONES);
    ck_assert_int_eq(hwrng_check(1, ONES, 7, 1), HWRNG_ALL_ONES);
}
END_TEST

START_TEST(check_rejects_a_repeat_once_primed)
{
    ck_assert_int_eq(hwrng_check(1, 42, 42, 1), HWRNG_REPEAT);
    ck_assert_int_eq(hwrng_check(1, 42, 42, 0), HWRNG_OK); /* nothing before it */
}
END_TEST

START_TEST(read_retries_a_clear_carry)
{
    PLAY({0, 1}, {0, 2}, {0, 3}, {1, 99});
    uint64_t v = 0;
    ck_assert_int_eq(hwrng_read(&h, &v), 1);
    ck_assert_uint_eq(v, 99);
    ck_assert_int_eq(executed, 4);
}
END_TEST

START_TEST(read_gives_up_after_the_bound)
{
    PLAY({0, 1}); /* and no value ever after */
    uint64_t v = 7;
    ck_assert_int_eq(hwrng_read(&h, &v), 0);
    ck_assert_int_eq(executed, HWRNG_TRIES);
    ck_assert_int_eq(h.why, HWRNG_NO_VALUE);
    ck_assert_uint_eq(v, 7); /* untouched */
}
END_TEST

START_TEST(read_uses_the_last_try)
{
    static struct step s[HWRNG_TRIES];
    for (int i = 0; i < HWRNG_TRIES - 1; i++)
        s[i] = (struct step){0, 0};
    s[HWRNG_TRIES - 1] = (struct step){1, 1234};
    script = s, script_len = HWRNG_TRIES;
    uint64_t v = 0;
    ck_assert_int_eq(hwrng_read(&h, &v), 1);
    ck_assert_uint_eq(v, 1234);
}
END_TEST

START_TEST(read_skips_all_ones)
{
    PLAY({1, ONES}, {1, 77});
    uint64_t v = 0;
    ck_assert_int_eq(hwrng_read(&h, &v), 1);
    ck_assert_uint_eq(v, 77);
}
END_TEST

/* Some AMD CPUs after a suspend: every RDRAND "succeeds" with all ones. */
START_TEST(read_fails_on_all_ones_forever)
{
    static struct step s[3 * HWRNG_TRIES];
    for (int i = 0; i < 3 * HWRNG_TRIES; i++)
        s[i] = (struct step){1, ONES};
    script = s, script_len = 3 * HWRNG_TRIES;
    uint64_t v = 0;
    ck_assert_int_eq(hwrng_read(&h, &v), 0);
    ck_assert_int_eq(h.why, HWRNG_ALL_ONES);
    ck_assert_int_eq(executed, HWRNG_TRIES);
}
END_TEST

START_TEST(read_fails_on_a_stuck_source)
{
    static struct step s[3 * HWRNG_TRIES];
    for (int i = 0; i < 3 * HWRNG_TRIES; i++)
        s[i] = (struct step){1, 0x5555};
    script = s, script_len = 3 * HWRNG_TRIES;
    uint64_t v = 0;
    ck_assert_int_eq(hwrng_read(&h, &v), 1); /* the first time it looks fine */
    ck_assert_uint_eq(v, 0x5555);
    ck_assert_int_eq(hwrng_read(&h, &v), 0);
    ck_assert_int_eq(h.why, HWRNG_REPEAT);
}
END_TEST

START_TEST(read_skips_one_repeat)
{
    PLAY({1, 10}, {1, 10}, {1, 11});
    uint64_t a = 0, b = 0;
    ck_assert_int_eq(hwrng_read(&h, &a), 1);
    ck_assert_int_eq(hwrng_read(&h, &b), 1);
    ck_assert_uint_eq(a, 10);
    ck_assert_uint_eq(b, 11);
}
END_TEST

START_TEST(selftest_passes_a_healthy_source)
{
    PLAY({0, 0}, {1, 0x1111}, {0, 0}, {0, 0}, {1, 0x2222});
    ck_assert_int_eq(hwrng_selftest(&h), 1);
    ck_assert_int_eq(executed, 5);
}
END_TEST

START_TEST(selftest_fails_the_same_value_twice)
{
    PLAY({1, 0x1111}, {1, 0x1111}, {1, 0x2222});
    ck_assert_int_eq(hwrng_selftest(&h), 0); /* no second chance at boot */
    ck_assert_int_eq(h.why, HWRNG_REPEAT);
}
END_TEST

START_TEST(selftest_fails_all_ones)
{
    PLAY({1, ONES}, {1, 0x1111}, {1, 0x2222});
    ck_assert_int_eq(hwrng_selftest(&h), 0);
    ck_assert_int_eq(h.why, HWRNG_ALL_ONES);
    PLAY({1, 0x1111}, {1, ONES}, {1, 0x2222});
    executed = 0;
    ck_assert_int_eq(hwrng_selftest(&h), 0);
    ck_assert_int_eq(h.why, HWRNG_ALL_ONES);
}
END_TEST

START_TEST(selftest_fails_a_dry_source)
{
    ck_assert_int_eq(hwrng_selftest(&h), 0); /* empty script: never a carry */
    ck_assert_int_eq(h.why, HWRNG_NO_VALUE);
    ck_assert_int_eq(executed, HWRNG_TRIES);
}
END_TEST

START_TEST(verdicts_have_words)
{
    ck_assert_str_eq(hwrng_verdict_str(HWRNG_ALL_ONES), "all ones with the carry set");
    ck_assert_str_eq(hwrng_verdict_str(HWRNG_REPEAT), "the same value twice in a row");
    ck_assert_str_ne(hwrng_verdict_str(HWRNG_NO_VALUE), "?");
}
END_TEST

Suite *hwrng_suite(void)
{
    Suite *s = suite_create("hwrng");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, check_accepts_a_value_with_carry);
    tcase_add_test(tc, check_rejects_clear_carry);
    tcase_add_test(tc, check_rejects_all_ones_with_carry);
    tcase_add_test(tc, check_rejects_a_repeat_once_primed);
    tcase_add_test(tc, read_retries_a_clear_carry);
    tcase_add_test(tc, read_gives_up_after_the_bound);
    tcase_add_test(tc, read_uses_the_last_try);
    tcase_add_test(tc, read_skips_all_ones);
    tcase_add_test(tc, read_fails_on_all_ones_forever);
    tcase_add_test(tc, read_fails_on_a_stuck_source);
    tcase_add_test(tc, read_skips_one_repeat);
    tcase_add_test(tc, selftest_passes_a_healthy_source);
    tcase_add_test(tc, selftest_fails_the_same_value_twice);
    tcase_add_test(tc, selftest_fails_all_ones);
    tcase_add_test(tc, selftest_fails_a_dry_source);
    tcase_add_test(tc, verdicts_have_words);
    suite_add_tcase(s, tc);
    return s;
}
