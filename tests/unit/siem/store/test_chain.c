/* The event store's chain and seals (apps/siem/store/chain.c and what
 * log.c and recover.c do with them): tags on append, the key evolving per
 * segment and leaving the disk, and recovery naming the record an attacker
 * who recomputes CRC32C (but has no key) altered, removed or swapped. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <sodium/crypto_generichash_blake2b.h>
#include <stdlib.h>
#include <string.h>

#include "chain.h"
#include "fixtures.h"
#include "layout.h"

#define SS 512
#define SEG 4096
#define DISK (STORE_AREA_START + 8 * SEG)
#define PAD 150

/* K_1 and K_2 from fx_seal_key, as Python's hashlib.blake2b(b"evolve",
 * key=K, digest_size=32) gives them (tools/siem_disk.py). */
static const char *const k1_hex =
    "92645754e616d7c18e436570637f88cfbfeb7760f97679320d13ce8e957e6c23";
static const char *const k2_hex =
    "aceeb807021860f5289aa656675040f999073ee282da305c352dc3c4acf6ca9d";

static void unhex(const char *hex, uint8_t *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        ck_assert_int_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
}

/* Does the disk hold these 32 bytes anywhere? */
static int on_disk(const struct memdisk *m, const uint8_t key[32])
{
    for (size_t i = 0; i + 32 <= DISK; i++)
        if (memcmp(m->data + i, key, 32) == 0)
            return 1;
    return 0;
}

static uint8_t *rec_bytes(struct memdisk *m, const struct store_rec *r)
{
    return m->data + STORE_AREA_START + (size_t)r->segment * SEG + r->offset;
}

/* A log of `count` events over several segments, committed and closed. */
static struct memdisk *written(unsigned count)
{
    struct memdisk *m = memdisk_new(DISK, SS);
    struct store_log *log = fx_open(m, SEG, NULL);
    for (unsigned n = 0; n < count; n++) {
        fx_append(log, n, PAD);
        if (n % 5 == 4)
            ck_assert_int_eq(store_log_commit(log), 0);
    }
    ck_assert_int_eq(store_log_commit(log), 0);
    store_log_close(log);
    return m;
}

START_TEST(key_evolves_as_blake2b)
{
    uint8_t k[32], want[32], direct[32];
    memcpy(k, fx_seal_key, 32);
    chain_evolve(k);
    unhex(k1_hex, want, 32);
    ck_assert_int_eq(memcmp(k, want, 32), 0);
    crypto_generichash_blake2b(direct, 32, (const uint8_t *)"evolve", 6, fx_seal_key, 32);
    ck_assert_int_eq(memcmp(k, direct, 32), 0);
    chain_evolve(k);
    unhex(k2_hex, want, 32);
    ck_assert_int_eq(memcmp(k, want, 32), 0);
    ck_assert(chain_same(k, want));
    want[31] ^= 1;
    ck_assert(!chain_same(k, want));
}
END_TEST

/* A tag covers the header (not its CRC), the predecessor's tag and the
 * payload; any of them changed changes it. */
START_TEST(tag_covers_header_prev_payload)
{
    uint8_t key[32] = {1}, prev[32] = {2}, hdr[STORE_REC_HDR], t0[32], t[32];
    struct store_rechdr h = {.kind = 1, .len = 3, .seq = 9, .segseq = 2};
    store_rec_encode(hdr, &h, "abc");
    chain_record_tag(key, hdr, prev, "abc", 3, t0);
    hdr[12] ^= 0xff; /* the CRC field: not covered */
    chain_record_tag(key, hdr, prev, "abc", 3, t);
    ck_assert(chain_same(t0, t));
    hdr[16] ^= 1; /* the sequence number */
    chain_record_tag(key, hdr, prev, "abc", 3, t);
    ck_assert(!chain_same(t0, t));
    hdr[16] ^= 1;
    prev[0] ^= 1;
    chain_record_tag(key, hdr, prev, "abc", 3, t);
    ck_assert(!chain_same(t0, t));
    prev[0] ^= 1;
    chain_record_tag(key, hdr, prev, "abd", 3, t);
    ck_assert(!chain_same(t0, t));
    key[0] ^= 1;
    chain_record_tag(key, hdr, prev, "abc", 3, t);
    ck_assert(!chain_same(t0, t));
}
END_TEST

/* Appends across segments; the reopened log checks out, the head is the
 * last record's tag, and only the open segment's key is on the disk. */
START_TEST(append_verify_forward_secure)
{
    struct memdisk *m = written(40);
    struct store_recovery rep;
    struct store_log *log = fx_open(m, 0, &rep);
    ck_assert_int_eq(rep.chain_broken, 0);
    ck_assert_uint_eq(rep.records, 40);
    ck_assert_uint_ge(rep.segments, 3);
    ck_assert_uint_eq(rep.sealed_segments, rep.segments - 1);
    uint32_t open = store_log_newest(log, 0)->segment;
    uint64_t in_open = 0;
    for (size_t i = 0; i < store_log_count(log); i++)
        in_open += store_log_newest(log, i)->segment == open;
    ck_assert_uint_eq(rep.tags_checked, in_open);
    struct store_stats st;
    store_log_stats(log, &st);
    ck_assert_uint_eq(st.head_seq, 40);
    ck_assert_int_eq(
        memcmp(st.head_tag, rec_bytes(m, store_log_newest(log, 0)) + STORE_REC_TAG, 32), 0);
    /* K_0, K_1 and K_2 are gone from the disk; K_s of the open segment
     * s = segments is the one in the key state. */
    uint8_t k[32];
    memcpy(k, fx_seal_key, 32);
    ck_assert(!on_disk(m, k));
    for (uint32_t s = 1; s <= rep.segments; s++) {
        chain_evolve(k);
        ck_assert_int_eq(on_disk(m, k), s == rep.segments);
    }
    /* The log goes on, chained. */
    fx_append(log, 40, PAD);
    ck_assert_int_eq(store_log_commit(log), 0);
    store_log_close(log);
    log = fx_open(m, 0, &rep);
    ck_assert_int_eq(rep.chain_broken, 0);
    ck_assert_uint_eq(rep.records, 41);
    store_log_close(log);
    memdisk_free(m);
}
END_TEST

/* The commit that starts a segment dies before the key state is saved:
 * recovery evolves the old key state and saves it, the old key leaves. */
START_TEST(crash_before_key_save)
{
    struct memdisk *m = memdisk_new(DISK, SS);
    struct store_log *log = fx_open(m, SEG, NULL);
    fx_append(log, 0, PAD);
    ck_assert_int_eq(store_log_commit(log), 0);
    uint8_t *before = memdisk_save(m);
    unsigned n = 1;
    struct store_stats st;
    do { /* up to the append that starts segment 2 */
        fx_append(log, n++, PAD);
        store_log_stats(log, &st);
    } while (st.segments_live < 2);
    uint64_t w0 = m->bytes_written;
    ck_assert_int_eq(store_log_commit(log), 0);
    long all = (long)(m->bytes_written - w0);
    store_log_close(log);

    memdisk_restore(m, before);
    log = fx_open(m, 0, NULL);
    for (unsigned i = 1; i < n; i++)
        fx_append(log, i, PAD);
    m->tear_after = all - 2 * SS; /* the records, not the key state */
    store_log_commit(log);
    store_log_close(log);
    m->tear_after = -1;
    uint8_t k1[32];
    unhex(k1_hex, k1, 32);
    ck_assert(on_disk(m, k1));
    struct store_recovery rep;
    log = fx_open(m, 0, &rep);
    ck_assert_int_eq(rep.chain_broken, 0);
    ck_assert_uint_eq(rep.records, n);
    ck_assert(!on_disk(m, k1));
    store_log_close(log);
    free(before);
    memdisk_free(m);
}
END_TEST

enum tamper { EDIT, REMOVE, SWAP };

/* Rewrites a record header's seq and CRC, its tag as it was. */
static void renumber(uint8_t *p, uint64_t seq)
{
    struct store_rechdr h;
    ck_assert_int_eq(store_rec_decode(p, &h), 0);
    h.seq = seq;
    store_rec_encode(p, &h, p + STORE_REC_HDR);
}

START_TEST(tamper_every_record_of_open_segment)
{
    struct memdisk *m = written(40);
    uint8_t *pristine = memdisk_save(m);
    struct store_log *log = fx_open(m, 0, NULL);
    uint32_t open = store_log_newest(log, 0)->segment;
    size_t in_open = 0;
    while (in_open < store_log_count(log) && store_log_newest(log, in_open)->segment == open)
        in_open++;
    store_log_close(log);
    ck_assert_uint_ge(in_open, 3);
    for (int how = EDIT; how <= SWAP; how++) {
        /* Records newest-first: i = 0 is the last one. A removal of the
         * last record is a cut tail, which only the kept head shows. */
        for (size_t i = how == EDIT ? 0 : 1; i < in_open; i++) {
            memdisk_restore(m, pristine);
            log = fx_open(m, 0, NULL);
            const struct store_rec *r = store_log_newest(log, i);
            uint64_t seq = r->seq;
            uint8_t *p = rec_bytes(m, r);
            size_t len = STORE_REC_HDR + r->len, seg_end = (size_t)SEG - r->offset;
            if (how == EDIT) {
                struct store_rechdr h;
                store_rec_decode(p, &h);
                p[STORE_REC_HDR + 20] ^= 0x01; /* failure -> success, in spirit */
                store_rec_encode(p, &h, p + STORE_REC_HDR);
            } else if (how == REMOVE) { /* the rest moved up and renumbered */
                struct store_rechdr h;
                memmove(p, p + len, seg_end - len);
                memset(p + seg_end - len, 0, len);
                for (size_t off = 0; off + STORE_REC_HDR <= seg_end - len &&
                                     store_rec_decode(p + off, &h) == 0 && h.len;
                     off += STORE_REC_HDR + h.len)
                    renumber(p + off, h.seq - 1);
            } else {
                const struct store_rec *next = store_log_newest(log, i - 1);
                size_t len2 = STORE_REC_HDR + next->len;
                uint8_t *tmp = malloc(len + len2);
                memcpy(tmp, p + len, len2);
                memcpy(tmp + len2, p, len);
                memcpy(p, tmp, len + len2);
                free(tmp);
                renumber(p, seq);
                renumber(p + len2, seq + 1);
            }
            store_log_close(log);
            struct store_recovery rep;
            uint8_t *altered = memdisk_save(m);
            log = fx_open(m, 0, &rep);
            ck_assert_msg(rep.chain_broken, "kind %d at record %llu not detected", how,
                          (unsigned long long)seq);
            ck_assert_uint_eq(rep.broken_seq, seq);
            ck_assert_uint_eq(rep.records, seq - 1);
            ck_assert_uint_eq(store_log_count(log), seq - 1);
            store_log_close(log);
            ck_assert_int_eq(memcmp(altered, m->data, DISK), 0); /* kept as found */
            free(altered);
        }
    }
    free(pristine);
    memdisk_free(m);
}
END_TEST

/* Sealed segments: a record removed at the end of one (the next
 * segment's header no longer fits), the log cut inside one (the key
 * state is for a later segment), a header altered. */
START_TEST(tamper_sealed_segments)
{
    struct memdisk *m = written(40);
    uint8_t *pristine = memdisk_save(m);
    struct store_log *log = fx_open(m, 0, NULL);
    size_t oldest = store_log_count(log) - 1;
    uint32_t seg0 = store_log_newest(log, oldest)->segment;
    size_t last0 = oldest;
    while (store_log_newest(log, last0 - 1)->segment == seg0)
        last0--;
    const struct store_rec *r = store_log_newest(log, last0);
    uint64_t seq = r->seq;
    /* The last record of the first segment zeroed: a cut end. */
    memset(rec_bytes(m, r), 0, STORE_REC_HDR + r->len);
    store_log_close(log);
    struct store_recovery rep;
    log = fx_open(m, 0, &rep);
    ck_assert_int_eq(rep.chain_broken, 1);
    ck_assert_uint_eq(rep.broken_seq, seq);
    store_log_close(log);

    /* Cut inside the first segment, the later ones wiped. */
    memdisk_restore(m, pristine);
    memset(m->data + STORE_AREA_START + (size_t)(seg0 + 1) * SEG, 0, (size_t)7 * SEG);
    log = fx_open(m, 0, &rep);
    ck_assert_int_eq(rep.chain_broken, 1);
    ck_assert_uint_eq(rep.broken_seq, seq + 1);
    ck_assert_ptr_nonnull(strstr(rep.broken_why, "cut"));
    char ev[1024];
    size_t len = fx_event(99, PAD, ev, sizeof(ev));
    ck_assert_int_eq(store_log_append(log, STORE_EVENT, ev, len), -EROFS);
    store_log_close(log);

    /* The open segment's header: another first record, CRC recomputed. */
    memdisk_restore(m, pristine);
    log = fx_open(m, 0, NULL);
    uint8_t *hdr = m->data + STORE_AREA_START + (size_t)store_log_newest(log, 0)->segment * SEG;
    store_log_close(log);
    struct store_seghdr sh;
    ck_assert_uint_ne(store_seg_decode(hdr, &sh), 0);
    sh.start_seq++;
    store_seg_encode(hdr, &sh);
    log = fx_open(m, 0, &rep);
    ck_assert_int_eq(rep.chain_broken, 1);
    store_log_close(log);

    /* No key state: what is there is served, nothing appended. */
    memdisk_restore(m, pristine);
    memset(m->data + SS, 0, 2 * SS);
    log = fx_open(m, 0, &rep);
    ck_assert_int_eq(rep.chain_broken, 1);
    ck_assert_uint_eq(rep.records, 40);
    ck_assert_ptr_nonnull(strstr(rep.broken_why, "key state"));
    store_log_close(log);
    free(pristine);
    memdisk_free(m);
}
END_TEST

START_TEST(blank_disk_needs_seal_key)
{
    struct memdisk *m = memdisk_new(DISK, SS);
    struct store_disk d = memdisk_ops(m);
    struct store_log *log;
    char err[200];
    struct store_open_opts o = {.segment_size = SEG};
    ck_assert_int_eq(store_log_open(&log, &d, &o, NULL, err, sizeof(err)), -EACCES);
    ck_assert_ptr_nonnull(strstr(err, "seal key"));
    ck_assert_uint_eq(m->writes, 0);
    /* chain=off needs none, and checks nothing. */
    o.chain_off = 1;
    struct store_recovery rep;
    ck_assert_int_eq(store_log_open(&log, &d, &o, &rep, err, sizeof(err)), 0);
    fx_append(log, 1, PAD);
    ck_assert_int_eq(store_log_commit(log), 0);
    store_log_close(log);
    ck_assert_int_eq(store_log_open(&log, &d, &o, &rep, err, sizeof(err)), 0);
    ck_assert_int_eq(rep.chain_broken, 0);
    ck_assert_uint_eq(rep.tags_checked, 0);
    store_log_close(log);
    memdisk_free(m);
}
END_TEST

Suite *chain_suite(void)
{
    Suite *s = suite_create("siem-store-chain");
    TCase *tc = tcase_create("chain");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, key_evolves_as_blake2b);
    tcase_add_test(tc, tag_covers_header_prev_payload);
    tcase_add_test(tc, append_verify_forward_secure);
    tcase_add_test(tc, crash_before_key_save);
    tcase_add_test(tc, tamper_every_record_of_open_segment);
    tcase_add_test(tc, tamper_sealed_segments);
    tcase_add_test(tc, blank_disk_needs_seal_key);
    suite_add_tcase(s, tc);
    return s;
}
