/* Crash recovery of the event store log: torn commits and damaged
 * records (apps/siem/store/recover.c). */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "layout.h"

#define SS 512
#define SEG 4096
#define DISK (STORE_AREA_START + 8 * SEG)
#define PAD 150

/* Byte offset on the disk of a record's payload. */
static size_t payload_at(const struct store_rec *r)
{
    return STORE_AREA_START + (size_t)r->segment * SEG + r->offset + STORE_REC_HDR;
}

/* Every record in the log from the i-th newest on is event seq - 1,
 * intact, in order. */
static void check_from(struct store_log *log, size_t from)
{
    for (size_t i = from; i < store_log_count(log); i++) {
        const struct store_rec *r = store_log_newest(log, i);
        if (i + 1 < store_log_count(log))
            ck_assert_uint_lt(store_log_newest(log, i + 1)->seq, r->seq);
        fx_check(log, i, (unsigned)r->seq - 1, PAD);
    }
}

static void check_all(struct store_log *log)
{
    check_from(log, 0);
}

/* Commits `committed` events, then tears the commit of `batch` more after
 * every byte count the commit writes: a reopen must find all committed
 * events, then a prefix of the batch, nothing garbled, and later appends
 * must not bring torn bytes back. */
static void torn_commit(unsigned committed, unsigned batch)
{
    struct memdisk *m = memdisk_new(DISK, SS);
    struct store_log *log = fx_open(m, SEG, NULL);
    for (unsigned n = 0; n < committed; n++)
        fx_append(log, n, PAD);
    ck_assert_int_eq(store_log_commit(log), 0);
    store_log_close(log);
    uint8_t *before = memdisk_save(m);

    /* How many bytes the batch's commit writes when nothing fails. */
    log = fx_open(m, 0, NULL);
    for (unsigned n = committed; n < committed + batch; n++)
        fx_append(log, n, PAD);
    uint64_t written = m->bytes_written;
    ck_assert_int_eq(store_log_commit(log), 0);
    long total = (long)(m->bytes_written - written);
    store_log_close(log);
    ck_assert_int_gt(total, (long)(batch * PAD));

    unsigned seen_partial = 0;
    for (long cut = 0; cut <= total; cut++) {
        memdisk_restore(m, before);
        log = fx_open(m, 0, NULL);
        for (unsigned n = committed; n < committed + batch; n++)
            fx_append(log, n, PAD);
        m->tear_after = cut;
        store_log_commit(log); /* the machine dies somewhere in here */
        store_log_close(log);
        m->tear_after = -1;

        struct store_recovery rep;
        log = fx_open(m, 0, &rep);
        ck_assert_uint_ge(rep.records, committed);
        ck_assert_uint_le(rep.records, committed + batch);
        ck_assert_uint_eq(rep.corrupt_segments, 0);
        if (rep.records == committed + batch)
            ck_assert_uint_eq(rep.bytes_truncated, 0);
        if (rep.bytes_truncated)
            seen_partial++;
        check_all(log);
        /* Append a short record after the recovered end (so that torn
         * bytes past it are not simply overwritten), reopen: nothing
         * garbled, nothing left behind. */
        unsigned next = (unsigned)rep.records;
        fx_append(log, next, 0);
        ck_assert_int_eq(store_log_commit(log), 0);
        store_log_close(log);
        log = fx_open(m, 0, &rep);
        ck_assert_uint_eq(rep.records, next + 1);
        ck_assert_uint_eq(rep.bytes_truncated, 0);
        fx_check(log, 0, next, 0);
        check_from(log, 1);
        store_log_close(log);
    }
    ck_assert_uint_gt(seen_partial, 0); /* some cuts did leave torn bytes */
    free(before);
    memdisk_free(m);
}

START_TEST(torn_tail_within_segment)
{
    torn_commit(5, 4);
}
END_TEST

START_TEST(torn_tail_across_segments)
{
    /* 11 records of ~280 bytes nearly fill a 4 KiB segment: the batch
     * starts a new one. */
    torn_commit(11, 4);
}
END_TEST

static struct store_log *filled(struct memdisk *m, unsigned count)
{
    struct store_log *log = fx_open(m, SEG, NULL);
    for (unsigned n = 0; n < count; n++)
        fx_append(log, n, PAD);
    ck_assert_int_eq(store_log_commit(log), 0);
    return log;
}

/* Index (0 = newest) of the k-th record of segment seg. */
static size_t nth_in_segment(struct store_log *log, uint32_t seg, unsigned k)
{
    size_t i = store_log_count(log);
    while (i-- > 0) {
        if (store_log_newest(log, i)->segment == seg && k-- == 0)
            return i;
    }
    ck_abort_msg("segment %u has too few records", seg);
    return 0;
}

/* A damaged record in a sealed segment breaks the chain there: recovery
 * indexes the records before it, refuses appends and writes nothing. */
START_TEST(bit_flip_in_older_segment)
{
    struct memdisk *m = memdisk_new(DISK, SS);
    struct store_log *log = filled(m, 40);
    uint32_t oldest = store_log_newest(log, store_log_count(log) - 1)->segment;
    size_t i = nth_in_segment(log, oldest, 4);
    uint64_t flipped_seq = store_log_newest(log, i)->seq;
    m->data[payload_at(store_log_newest(log, i)) + 20] ^= 0x08;
    /* A read notices the damage too. */
    char buf[4096];
    ck_assert_int_eq(store_log_read(log, store_log_newest(log, i), buf, sizeof(buf)), -EBADMSG);
    store_log_close(log);

    uint8_t *before = memdisk_save(m);
    struct store_recovery rep;
    log = fx_open(m, 0, &rep);
    ck_assert_int_eq(rep.chain_broken, 1);
    ck_assert_uint_eq(rep.broken_seq, flipped_seq);
    ck_assert_ptr_nonnull(strstr(rep.broken_why, "damaged"));
    ck_assert_uint_eq(rep.corrupt_segments, 1);
    ck_assert_uint_eq(rep.records, flipped_seq - 1);
    ck_assert_uint_eq(rep.last_seq, flipped_seq - 1);
    check_all(log);
    /* Kept as found: no appends, nothing written. */
    char ev[1024];
    size_t len = fx_event(40, PAD, ev, sizeof(ev));
    ck_assert_int_eq(store_log_append(log, STORE_EVENT, ev, len), -EROFS);
    ck_assert_int_eq(store_log_commit(log), 0);
    struct store_stats st;
    store_log_stats(log, &st);
    ck_assert_int_eq(st.chain_broken, 1);
    store_log_close(log);
    ck_assert_int_eq(memcmp(before, m->data, DISK), 0);
    free(before);
    memdisk_free(m);
}
END_TEST

START_TEST(flipped_magic_in_older_segment_counted)
{
    struct memdisk *m = memdisk_new(DISK, SS);
    struct store_log *log = filled(m, 40);
    uint32_t oldest = store_log_newest(log, store_log_count(log) - 1)->segment;
    size_t i = nth_in_segment(log, oldest, 2);
    uint64_t seq = store_log_newest(log, i)->seq;
    /* The record's magic: its header looks like the end of the segment,
     * but the next segment says where it really ended. */
    m->data[payload_at(store_log_newest(log, i)) - STORE_REC_HDR] ^= 0x01;
    store_log_close(log);
    struct store_recovery rep;
    log = fx_open(m, 0, &rep);
    ck_assert_int_eq(rep.chain_broken, 1);
    ck_assert_uint_eq(rep.broken_seq, seq);
    ck_assert_uint_eq(rep.records, seq - 1);
    check_all(log);
    store_log_close(log);
    memdisk_free(m);
}
END_TEST

START_TEST(bit_flip_in_newest_segment_truncates)
{
    struct memdisk *m = memdisk_new(DISK, SS);
    struct store_log *log = filled(m, 40);
    uint32_t newest = store_log_newest(log, 0)->segment;
    size_t i = nth_in_segment(log, newest, 1);
    uint64_t bad_seq = store_log_newest(log, i)->seq;
    m->data[payload_at(store_log_newest(log, i)) + 3] ^= 0x40;
    store_log_close(log);
    struct store_recovery rep;
    log = fx_open(m, 0, &rep);
    ck_assert_uint_eq(rep.records, bad_seq - 1);
    ck_assert_uint_eq(rep.last_seq, bad_seq - 1);
    ck_assert_uint_gt(rep.bytes_truncated, 0);
    check_all(log);
    fx_append(log, (unsigned)bad_seq - 1, PAD);
    ck_assert_int_eq(store_log_commit(log), 0);
    store_log_close(log);
    log = fx_open(m, 0, &rep);
    ck_assert_uint_eq(rep.records, bad_seq);
    ck_assert_uint_eq(rep.bytes_truncated, 0);
    check_all(log);
    store_log_close(log);
    memdisk_free(m);
}
END_TEST

Suite *recover_suite(void)
{
    Suite *s = suite_create("siem-store-recover");
    TCase *tc = tcase_create("recover");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, torn_tail_within_segment);
    tcase_add_test(tc, torn_tail_across_segments);
    tcase_add_test(tc, bit_flip_in_older_segment);
    tcase_add_test(tc, flipped_magic_in_older_segment_counted);
    tcase_add_test(tc, bit_flip_in_newest_segment_truncates);
    suite_add_tcase(s, tc);
    return s;
}
