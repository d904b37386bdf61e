/* The event store log: format, append, commit, reopen, refusals and
 * errors (apps/siem/store/log.c, recover.c). */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"
#include "layout.h"

#define SS 512
#define SEG 4096
#define DISK (STORE_AREA_START + 8 * SEG)

START_TEST(format_append_reopen)
{
    struct memdisk *m = memdisk_new(DISK, SS);
    struct store_recovery rep;
    struct store_log *log = fx_open(m, SEG, &rep);
    ck_assert_int_eq(rep.formatted, 1);
    ck_assert_uint_eq(rep.records, 0);
    ck_assert_uint_eq(store_log_count(log), 0);
    for (unsigned n = 0; n < 20; n++)
        fx_append(log, n, 100);
    ck_assert_int_eq(store_log_commit(log), 0);
    ck_assert_uint_eq(store_log_count(log), 20);
    fx_check(log, 0, 19, 100);
    ck_assert_uint_eq(store_log_newest(log, 0)->seq, 20);
    ck_assert_int_eq(store_log_newest(log, 0)->time_ms, 1767225600000LL + 19000);
    ck_assert_ptr_null(store_log_newest(log, 20));
    store_log_close(log);

    log = fx_open(m, 0, &rep);
    ck_assert_int_eq(rep.formatted, 0);
    ck_assert_uint_eq(rep.records, 20);
    ck_assert_uint_eq(rep.first_seq, 1);
    ck_assert_uint_eq(rep.last_seq, 20);
    ck_assert_uint_eq(rep.bytes_truncated, 0);
    ck_assert_uint_eq(rep.corrupt_segments, 0);
    ck_assert_uint_ge(rep.segments, 2); /* 20 records of ~250 bytes > 4 KiB */
    for (unsigned i = 0; i < 20; i++)
        fx_check(log, i, 19 - i, 100);
    /* Appends continue after the recovered records, also across reopen. */
    fx_append(log, 20, 100);
    ck_assert_uint_eq(store_log_newest(log, 0)->seq, 21);
    ck_assert_int_eq(store_log_commit(log), 0);
    store_log_close(log);
    log = fx_open(m, 0, &rep);
    ck_assert_uint_eq(rep.records, 21);
    fx_check(log, 0, 20, 100);
    fx_check(log, 20, 0, 100);
    store_log_close(log);
    memdisk_free(m);
}
END_TEST

START_TEST(uncommitted_is_readable_and_lost_on_crash)
{
    struct memdisk *m = memdisk_new(DISK, SS);
    struct store_log *log = fx_open(m, SEG, NULL);
    fx_append(log, 1, 50);
    ck_assert_int_eq(store_log_commit(log), 0);
    fx_append(log, 2, 50);
    fx_check(log, 0, 2, 50); /* from the pending buffer */
    store_log_close(log);    /* no commit: a crash */
    struct store_recovery rep;
    log = fx_open(m, 0, &rep);
    ck_assert_uint_eq(rep.records, 1);
    fx_check(log, 0, 1, 50);
    store_log_close(log);
    memdisk_free(m);
}
END_TEST

START_TEST(foreign_disk_refused)
{
    struct memdisk *m = memdisk_new(DISK, SS);
    memcpy(m->data, "\xeb\x3c\x90MSDOS5.0", 11);
    m->data[510] = 0x55;
    m->data[511] = 0xAA;
    uint8_t *before = memdisk_save(m);
    struct store_disk d = memdisk_ops(m);
    struct store_log *log = (struct store_log *)1;
    char err[200];
    ck_assert_int_eq(store_log_open(&log, &d, NULL, NULL, err, sizeof(err)), -EPROTO);
    ck_assert_ptr_null(log);
    ck_assert_ptr_nonnull(strstr(err, "refusing"));
    ck_assert_uint_eq(m->writes, 0);
    ck_assert_int_eq(memcmp(before, m->data, DISK), 0);
    free(before);
    memdisk_free(m);
}
END_TEST

START_TEST(damaged_superblock_refused)
{
    struct memdisk *m = memdisk_new(DISK, SS);
    store_log_close(fx_open(m, SEG, NULL));
    m->data[16] ^= 0x04; /* the segment size */
    struct store_disk d = memdisk_ops(m);
    struct store_log *log;
    char err[200];
    ck_assert_int_eq(store_log_open(&log, &d, NULL, NULL, err, sizeof(err)), -EBADMSG);
    ck_assert_ptr_nonnull(strstr(err, "damaged"));
    /* A store of another sector size than the disk's. */
    m->data[16] ^= 0x04;
    d.sector_size = 4096;
    d.sectors = DISK / 4096;
    ck_assert_int_eq(store_log_open(&log, &d, NULL, NULL, err, sizeof(err)), -EINVAL);
    ck_assert_ptr_nonnull(strstr(err, "does not fit"));
    memdisk_free(m);
}
END_TEST

START_TEST(small_disk)
{
    uint64_t min = store_disk_min_bytes(SS);
    ck_assert_uint_eq(min, 266240);
    struct memdisk *m = memdisk_new(min - SS, SS);
    struct store_disk d = memdisk_ops(m);
    struct store_log *log;
    char err[200];
    ck_assert_int_eq(store_log_open(&log, &d, NULL, NULL, err, sizeof(err)), -ENOSPC);
    ck_assert_ptr_nonnull(strstr(err, "too small"));
    ck_assert_uint_eq(m->writes, 0);
    memdisk_free(m);
    m = memdisk_new(min, SS);
    log = fx_open(m, 0, NULL);
    struct store_stats st;
    store_log_stats(log, &st);
    ck_assert_uint_eq(st.segment_count, 4);
    ck_assert_uint_eq(st.segment_size, 65536);
    ck_assert_uint_eq(store_log_record_max(log), 65536 - STORE_SEG_HDR - STORE_REC_HDR);
    store_log_close(log);
    memdisk_free(m);
}
END_TEST

START_TEST(failing_flush_and_write)
{
    struct memdisk *m = memdisk_new(DISK, SS);
    struct store_log *log = fx_open(m, SEG, NULL);
    fx_append(log, 1, 10);
    fx_append(log, 2, 10);
    m->fail_flush = 1;
    ck_assert_int_eq(store_log_commit(log), -EIO);
    m->fail_flush = 0;
    fx_append(log, 3, 10);
    m->fail_write = 1;
    ck_assert_int_eq(store_log_commit(log), -EIO);
    m->fail_write = 0;
    struct store_stats st;
    store_log_stats(log, &st);
    ck_assert_uint_eq(st.commit_errors, 2);
    ck_assert_uint_eq(st.commits, 0);
    /* A retry writes everything since the last good commit. */
    ck_assert_int_eq(store_log_commit(log), 0);
    store_log_close(log);
    struct store_recovery rep;
    log = fx_open(m, 0, &rep);
    ck_assert_uint_eq(rep.records, 3);
    fx_check(log, 2, 1, 10);
    store_log_close(log);
    /* A failing flush while formatting fails the open. */
    memset(m->data, 0, DISK);
    m->fail_flush = 1;
    struct store_disk d = memdisk_ops(m);
    struct store_open_opts o = {.segment_size = SEG, .seal_key = fx_seal_key};
    char err[200];
    ck_assert_int_eq(store_log_open(&log, &d, &o, NULL, err, sizeof(err)), -EIO);
    ck_assert_ptr_nonnull(strstr(err, "format"));
    memdisk_free(m);
}
END_TEST

START_TEST(bad_appends)
{
    struct memdisk *m = memdisk_new(DISK, SS);
    struct store_log *log = fx_open(m, SEG, NULL);
    size_t max = store_log_record_max(log);
    ck_assert_uint_eq(max, SEG - STORE_SEG_HDR - STORE_REC_HDR);
    char *big = malloc(max + 2);
    memset(big, 'x', max + 1);
    memcpy(big, "{\"message\":\"", 12);
    memcpy(big + max - 2, "\"}", 2);
    ck_assert_int_eq(store_log_append(log, STORE_EVENT, big, max), 0);
    memcpy(big + max - 1, "\"}", 2);
    ck_assert_int_eq(store_log_append(log, STORE_EVENT, big, max + 1), -EMSGSIZE);
    ck_assert_int_eq(store_log_append(log, STORE_EVENT, "not json", 8), -EINVAL);
    ck_assert_int_eq(store_log_append(log, STORE_EVENT, "[1,2]", 5), -EINVAL);
    ck_assert_int_eq(store_log_append(log, STORE_EVENT, "{}", 0), -EINVAL);
    ck_assert_int_eq(store_log_append(log, (enum store_kind)7, "{}", 2), -EINVAL);
    ck_assert_int_eq(store_log_append(NULL, STORE_EVENT, "{}", 2), -EINVAL);
    ck_assert_uint_eq(store_log_count(log), 1);
    ck_assert_int_eq(store_log_commit(log), 0);
    char small[8];
    ck_assert_int_eq(store_log_read(log, store_log_newest(log, 0), small, sizeof(small)), -ERANGE);
    free(big);
    store_log_close(log);
    memdisk_free(m);
}
END_TEST

START_TEST(uncommitted_cannot_fill_the_disk)
{
    struct memdisk *m = memdisk_new(STORE_AREA_START + 4 * SEG, SS);
    struct store_log *log = fx_open(m, SEG, NULL);
    char buf[4096];
    size_t len = fx_event(0, 500, buf, sizeof(buf));
    int rc = 0;
    unsigned n;
    for (n = 0; n < 100 && rc == 0; n++) {
        len = fx_event(n, 500, buf, sizeof(buf));
        rc = store_log_append(log, STORE_EVENT, buf, len);
    }
    ck_assert_int_eq(rc, -ENOBUFS);
    ck_assert_uint_gt(n, 10);
    ck_assert_int_eq(store_log_commit(log), 0);
    ck_assert_int_eq(store_log_append(log, STORE_EVENT, buf, len), 0);
    ck_assert_int_eq(store_log_commit(log), 0);
    fx_check(log, 0, n - 1, 500);
    store_log_close(log);
    memdisk_free(m);
}
END_TEST

START_TEST(big_sectors)
{
    struct memdisk *m = memdisk_new(4096 + 6 * 16384, 4096);
    struct store_log *log = fx_open(m, 16384, NULL);
    for (unsigned n = 0; n < 100; n++)
        fx_append(log, n, 300);
    ck_assert_int_eq(store_log_commit(log), 0);
    store_log_close(log);
    struct store_recovery rep;
    log = fx_open(m, 0, &rep);
    ck_assert_uint_gt(rep.records, 50);
    ck_assert_uint_eq(rep.last_seq, 100);
    fx_check(log, 0, 99, 300);
    fx_check(log, rep.records - 1, 100 - (unsigned)rep.records, 300);
    store_log_close(log);
    memdisk_free(m);
}
END_TEST

Suite *log_suite(void)
{
    Suite *s = suite_create("siem-store-log");
    TCase *tc = tcase_create("log");
    tcase_add_test(tc, format_append_reopen);
    tcase_add_test(tc, uncommitted_is_readable_and_lost_on_crash);
    tcase_add_test(tc, foreign_disk_refused);
    tcase_add_test(tc, damaged_superblock_refused);
    tcase_add_test(tc, small_disk);
    tcase_add_test(tc, failing_flush_and_write);
    tcase_add_test(tc, bad_appends);
    tcase_add_test(tc, uncommitted_cannot_fill_the_disk);
    tcase_add_test(tc, big_sectors);
    suite_add_tcase(s, tc);
    return s;
}
