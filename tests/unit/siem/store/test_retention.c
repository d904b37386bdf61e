/* Retention by segment reclaim and duplicate ids (apps/siem/store/log.c,
 * index.c). */
#include <check.h>
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "fixtures.h"
#include "layout.h"

#define SS 512
#define SEG 4096
#define NSEG 8
#define DISK (STORE_AREA_START + NSEG * SEG)
#define PAD 200

/* The live records are exactly the newest events first..last, in order. */
static void check_window(struct store_log *log, unsigned first, unsigned last)
{
    ck_assert_uint_eq(store_log_count(log), last - first + 1);
    for (unsigned n = last, i = 0; i <= last - first; n--, i++) {
        const struct store_rec *r = store_log_newest(log, i);
        ck_assert_uint_eq(r->seq, n + 1);
        if (i % 17 == 0 || n == first)
            fx_check(log, i, n, PAD);
    }
}

START_TEST(wrap_around_reclaims_oldest)
{
    struct memdisk *m = memdisk_new(DISK, SS);
    struct store_log *log = fx_open(m, SEG, NULL);
    const unsigned total = 400; /* ~400 bytes each: over 5 passes over the disk */
    for (unsigned n = 0; n < total; n++) {
        fx_append(log, n, PAD);
        if (n % 7 == 6)
            ck_assert_int_eq(store_log_commit(log), 0);
    }
    ck_assert_int_eq(store_log_commit(log), 0);
    struct store_stats st;
    store_log_stats(log, &st);
    ck_assert_uint_eq(st.appended, total);
    ck_assert_uint_eq(st.segment_count, NSEG);
    ck_assert_uint_eq(st.segments_live, NSEG);
    ck_assert_uint_ge(st.segments_reclaimed, 3 * NSEG);
    ck_assert_uint_eq(st.records_reclaimed + st.records, total);
    /* At least NSEG - 1 full segments of 8 records stay. */
    ck_assert_uint_ge(st.records, (NSEG - 1) * 8);
    unsigned live = (unsigned)st.records;
    check_window(log, total - live, total - 1);
    store_log_close(log);

    /* Reopen after the wrap: the same window, in the same order. */
    struct store_recovery rep;
    log = fx_open(m, 0, &rep);
    ck_assert_uint_eq(rep.records, live);
    ck_assert_uint_eq(rep.segments, NSEG);
    ck_assert_uint_eq(rep.first_seq, total - live + 1);
    ck_assert_uint_eq(rep.last_seq, total);
    ck_assert_uint_eq(rep.corrupt_segments, 0);
    check_window(log, total - live, total - 1);
    /* And keep wrapping from there, across one more reopen. */
    for (unsigned n = total; n < 2 * total; n++) {
        fx_append(log, n, PAD);
        if (n % 10 == 0)
            ck_assert_int_eq(store_log_commit(log), 0);
    }
    ck_assert_int_eq(store_log_commit(log), 0);
    store_log_stats(log, &st);
    ck_assert_uint_eq(st.records_reclaimed + st.records, live + total);
    live = (unsigned)st.records;
    /* Reads before and after the segments were reused agree with the disk. */
    check_window(log, 2 * total - live, 2 * total - 1);
    store_log_close(log);
    log = fx_open(m, 0, &rep);
    ck_assert_uint_eq(rep.records, live);
    check_window(log, 2 * total - live, 2 * total - 1);
    store_log_close(log);
    memdisk_free(m);
}
END_TEST

START_TEST(reads_after_segment_reuse)
{
    /* Reads cache the start of a segment: reusing the segment must not
     * leave the old bytes in that cache. */
    struct memdisk *m = memdisk_new(DISK, SS);
    struct store_log *log = fx_open(m, SEG, NULL);
    unsigned n = 0;
    for (; n < 9 * NSEG; n++)
        fx_append(log, n, PAD);
    ck_assert_int_eq(store_log_commit(log), 0);
    size_t oldest = store_log_count(log) - 1;
    const struct store_rec *r = store_log_newest(log, oldest);
    uint32_t seg = r->segment;
    ck_assert_uint_eq(r->offset, STORE_SEG_HDR);
    /* Reading the segment's last record caches nearly all of it. */
    size_t last = oldest;
    while (store_log_newest(log, last - 1)->segment == seg)
        last--;
    ck_assert_uint_lt(last, oldest);
    fx_check(log, last, (unsigned)store_log_newest(log, last)->seq - 1, PAD);
    /* Append until a record again starts segment seg, and read it. */
    for (;; n++) {
        fx_append(log, n, PAD);
        ck_assert_int_eq(store_log_commit(log), 0);
        r = store_log_newest(log, 0);
        if (r->segment == seg && r->offset == STORE_SEG_HDR)
            break;
        ck_assert_uint_lt(n, 1000);
    }
    /* Two more, so that it is read from the disk, not the pending sector. */
    fx_append(log, n + 1, PAD);
    fx_append(log, n + 2, PAD);
    ck_assert_int_eq(store_log_commit(log), 0);
    fx_check(log, 2, n, PAD);
    store_log_close(log);
    memdisk_free(m);
}
END_TEST

START_TEST(duplicates_detected_after_reopen)
{
    struct memdisk *m = memdisk_new(DISK, SS);
    struct store_log *log = fx_open(m, SEG, NULL);
    char id1[33], id2[33], buf[4096];
    fx_id(1, id1);
    fx_id(2, id2);
    fx_append(log, 1, PAD);
    ck_assert_int_eq(store_log_has_id(log, id1), 1);
    ck_assert_int_eq(store_log_has_id(log, id2), 0);
    ck_assert_int_eq(store_log_commit(log), 0);
    store_log_close(log);

    log = fx_open(m, 0, NULL);
    ck_assert_int_eq(store_log_has_id(log, id1), 1);
    for (char *p = id1; *p; p++)
        *p = (char)toupper((unsigned char)*p);
    ck_assert_int_eq(store_log_has_id(log, id1), 1); /* hex case does not matter */
    ck_assert_int_eq(store_log_has_id(log, id2), 0);
    ck_assert_int_eq(store_log_has_id(log, ""), 0);
    ck_assert_int_eq(store_log_has_id(log, NULL), 0);
    size_t len = fx_event(1, PAD, buf, sizeof(buf));
    ck_assert_int_eq(store_log_append(log, STORE_EVENT, buf, len), -EEXIST);
    ck_assert_uint_eq(store_log_count(log), 1);
    /* A redelivery inside one uncommitted batch is caught as well. */
    fx_append(log, 2, PAD);
    len = fx_event(2, PAD, buf, sizeof(buf));
    ck_assert_int_eq(store_log_append(log, STORE_EVENT, buf, len), -EEXIST);
    struct store_stats st;
    store_log_stats(log, &st);
    ck_assert_uint_eq(st.duplicates, 2);
    /* Records without an id are never duplicates of each other. */
    ck_assert_int_eq(store_log_append(log, STORE_EVENT, "{\"message\":\"x\"}", 15), 0);
    ck_assert_int_eq(store_log_append(log, STORE_EVENT, "{\"message\":\"x\"}", 15), 0);
    ck_assert_int_eq(store_log_commit(log), 0);

    /* Once retention reclaims event 1, its id is forgotten. */
    for (unsigned n = 100; n < 300; n++) {
        fx_append(log, n, PAD);
        ck_assert_int_eq(store_log_commit(log), 0);
    }
    fx_id(1, id1);
    ck_assert_int_eq(store_log_has_id(log, id1), 0);
    ck_assert_int_eq(store_log_has_id(log, id2), 0);
    fx_id(299, id2);
    ck_assert_int_eq(store_log_has_id(log, id2), 1);
    fx_append(log, 1, PAD);
    store_log_close(log);
    memdisk_free(m);
}
END_TEST

START_TEST(many_ids)
{
    /* The hash set through growth and many deletions: every live id is
     * found, every reclaimed one is not. */
    struct memdisk *m = memdisk_new(STORE_AREA_START + 64 * 65536, SS);
    struct store_log *log = fx_open(m, 65536, NULL);
    const unsigned total = 30000;
    for (unsigned n = 0; n < total; n++) {
        fx_append(log, n, 20);
        if (n % 1000 == 0)
            ck_assert_int_eq(store_log_commit(log), 0);
    }
    ck_assert_int_eq(store_log_commit(log), 0);
    unsigned live = (unsigned)store_log_count(log);
    ck_assert_uint_lt(live, total);
    char id[33];
    for (unsigned n = 0; n < total; n++) {
        fx_id(n, id);
        ck_assert_int_eq(store_log_has_id(log, id), n >= total - live);
    }
    store_log_close(log);
    memdisk_free(m);
}
END_TEST

/* Records reclaimed while younger than the young_after time are counted;
 * older ones and, by default, all of them are not. */
START_TEST(young_records_reclaimed_counted)
{
    const int64_t t2026 = 1767225600000LL; /* 2026-01-01T00:00:00Z: event 0 */
    for (int pass = 0; pass < 2; pass++) {
        struct memdisk *m = memdisk_new(DISK, SS);
        struct store_log *log = fx_open(m, SEG, NULL);
        if (pass == 1)
            store_log_set_young_after(log, t2026 + 100 * 1000); /* events 100 on */
        for (unsigned n = 0; n < 400; n++) {
            fx_append(log, n, PAD);
            ck_assert_int_eq(store_log_commit(log), 0);
        }
        struct store_stats st;
        store_log_stats(log, &st);
        ck_assert_uint_gt(st.records_reclaimed, 100);
        ck_assert_uint_eq(st.evicted_young, pass == 0 ? 0 : st.records_reclaimed - 100);
        store_log_close(log);
        memdisk_free(m);
    }
}
END_TEST

Suite *retention_suite(void)
{
    Suite *s = suite_create("siem-store-retention");
    TCase *tc = tcase_create("retention");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, wrap_around_reclaims_oldest);
    tcase_add_test(tc, reads_after_segment_reuse);
    tcase_add_test(tc, duplicates_detected_after_reopen);
    tcase_add_test(tc, many_ids);
    tcase_add_test(tc, young_records_reclaimed_counted);
    suite_add_tcase(s, tc);
    return s;
}
