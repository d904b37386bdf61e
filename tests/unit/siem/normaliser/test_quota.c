/* Per-source token buckets (apps/siem/normaliser/quota.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "quota.h"

#define C QUOTA_RECORD_COST

START_TEST(off_passes_everything)
{
    static struct quota q;
    quota_init(&q, 0, 1024);
    for (int i = 0; i < 1000; i++)
        ck_assert_int_eq(quota_take(&q, "10.0.0.1", 60000, 0), 0);
}
END_TEST

START_TEST(burst_then_rate)
{
    static struct quota q;
    quota_init(&q, 10 * (488 + C), 10 * (488 + C)); /* 10 records of 488 bytes a second */
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(quota_take(&q, "10.0.0.1", 488, 1000), 0);
    int64_t wait = quota_take(&q, "10.0.0.1", 488, 1000);
    ck_assert_int_gt(wait, 90);
    ck_assert_int_le(wait, 101);
    /* Another sender has a bucket of its own. */
    ck_assert_int_eq(quota_take(&q, "10.0.0.2", 488, 1000), 0);
    /* A tenth of a second refills one record. */
    ck_assert_int_eq(quota_take(&q, "10.0.0.1", 488, 1100), 0);
    ck_assert_int_gt(quota_take(&q, "10.0.0.1", 488, 1100), 0);
    /* Idle for long: a full bucket, not more. */
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(quota_take(&q, "10.0.0.1", 488, 100000), 0);
    ck_assert_int_gt(quota_take(&q, "10.0.0.1", 488, 100000), 0);
}
END_TEST

START_TEST(larger_than_burst_passes_when_full)
{
    static struct quota q;
    quota_init(&q, 1000, 2000);
    ck_assert_int_eq(quota_take(&q, "10.0.0.1", 5000, 0), 0);
    int64_t wait = quota_take(&q, "10.0.0.1", 5000, 0);
    ck_assert_int_ge(wait, 2000);
    ck_assert_int_le(wait, 2001);
}
END_TEST

/* More sources than slots: every one is still limited, none is refused
 * for want of a slot, and a flooding source stays limited. */
START_TEST(many_sources)
{
    static struct quota q;
    quota_init(&q, 1000, 4000);
    char ip[48];
    for (int i = 0; i < 3 * QUOTA_SOURCES; i++) {
        snprintf(ip, sizeof(ip), "10.%d.%d.%d", i >> 16 & 255, i >> 8 & 255, i & 255);
        ck_assert_int_eq(quota_take(&q, ip, 100, i), 0);
        ck_assert_int_gt(quota_take(&q, "192.0.2.1", 4000, i), 0 - (i == 0));
    }
}
END_TEST

Suite *quota_suite(void)
{
    Suite *s = suite_create("siem-normaliser-quota");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, off_passes_everything);
    tcase_add_test(tc, burst_then_rate);
    tcase_add_test(tc, larger_than_burst_passes_when_full);
    tcase_add_test(tc, many_sources);
    suite_add_tcase(s, tc);
    return s;
}
