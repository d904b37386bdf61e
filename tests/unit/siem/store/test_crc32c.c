/* CRC32C vectors and the disk layout's encodings (apps/siem/store/crc32c.c,
 * layout.c). */
#include <check.h>
#include <errno.h>
#include <string.h>

#include "crc32c.h"
#include "layout.h"

START_TEST(check_value)
{
    ck_assert_uint_eq(crc32c(0, "123456789", 9), 0xE3069283u);
    ck_assert_uint_eq(crc32c(0, "", 0), 0);
}
END_TEST

/* RFC 3720 (iSCSI) appendix B.4 test patterns. */
START_TEST(iscsi_vectors)
{
    uint8_t buf[32];
    memset(buf, 0, sizeof(buf));
    ck_assert_uint_eq(crc32c(0, buf, 32), 0x8A9136AAu);
    memset(buf, 0xFF, sizeof(buf));
    ck_assert_uint_eq(crc32c(0, buf, 32), 0x62A8AB43u);
    for (int i = 0; i < 32; i++)
        buf[i] = (uint8_t)i;
    ck_assert_uint_eq(crc32c(0, buf, 32), 0x46DD794Eu);
    for (int i = 0; i < 32; i++)
        buf[i] = (uint8_t)(31 - i);
    ck_assert_uint_eq(crc32c(0, buf, 32), 0x113FDB5Cu);
}
END_TEST

START_TEST(chained)
{
    const char *s = "The quick brown fox jumps over the lazy dog";
    size_t n = strlen(s);
    uint32_t whole = crc32c(0, s, n);
    for (size_t cut = 0; cut <= n; cut++)
        ck_assert_uint_eq(crc32c(crc32c(0, s, cut), s + cut, n - cut), whole);
}
END_TEST

START_TEST(layout_round_trip)
{
    uint8_t buf[STORE_SEG_HDR];
    struct store_sb sb = {STORE_VERSION, 512, 65536, 9, 8}, got;
    store_sb_encode(buf, &sb);
    ck_assert_int_eq(store_sb_decode(buf, &got), 0);
    ck_assert_uint_eq(got.segment_count, 9);
    ck_assert_uint_eq(got.first_sector, 8);
    buf[20] ^= 1;
    ck_assert_int_eq(store_sb_decode(buf, &got), -EBADMSG);
    buf[0] = 'X';
    ck_assert_int_eq(store_sb_decode(buf, &got), -EPROTO);

    struct store_seghdr sh = {.segseq = 77, .start_seq = 900, .prev_tag = {7}, .mac = {9}}, sg;
    store_seg_encode(buf, &sh);
    ck_assert_uint_eq(store_seg_decode(buf, &sg), 77);
    ck_assert_uint_eq(sg.start_seq, 900);
    ck_assert_int_eq(memcmp(&sg, &sh, sizeof(sh)), 0);
    buf[100] ^= 0x10; /* the MAC, under the CRC too */
    ck_assert_uint_eq(store_seg_decode(buf, &sg), 0);

    uint8_t key[32] = {1}, kgot[32];
    uint64_t kseg;
    store_key_encode(buf, 12, key);
    ck_assert_int_eq(store_key_decode(buf, &kseg, kgot), 0);
    ck_assert_uint_eq(kseg, 12);
    ck_assert_int_eq(memcmp(key, kgot, 32), 0);
    buf[20] ^= 1;
    ck_assert_int_eq(store_key_decode(buf, &kseg, kgot), -1);

    struct store_rechdr h = {.kind = 2,
                             .flags = 1,
                             .len = 3,
                             .seq = 5,
                             .segseq = 6,
                             .time_ms = -1,
                             .id = {1, 2, 3}},
                        d;
    store_rec_encode(buf, &h, "abc");
    ck_assert_int_eq(store_rec_decode(buf, &d), 0);
    ck_assert_int_eq(d.time_ms, -1);
    ck_assert_uint_eq(d.seq, 5);
    ck_assert_uint_eq(d.segseq, 6);
    ck_assert_int_eq(memcmp(d.id, h.id, 16), 0);
    ck_assert_int_eq(store_rec_crc_ok(buf, "abc", 3), 1);
    ck_assert_int_eq(store_rec_crc_ok(buf, "abd", 3), 0);
}
END_TEST

START_TEST(geometry)
{
    struct store_sb sb;
    /* A big disk gets 1 MiB segments after a 4 KiB superblock area. */
    ck_assert_int_eq(store_geometry((64u << 20) / 512, 512, 0, &sb), 0);
    ck_assert_uint_eq(sb.segment_size, 1u << 20);
    ck_assert_uint_eq(sb.first_sector, 8);
    ck_assert_uint_eq(sb.segment_count, 63);
    /* A small one gets smaller segments, at least four of them. */
    ck_assert_int_eq(store_geometry((2u << 20) / 512, 512, 0, &sb), 0);
    ck_assert_uint_eq(sb.segment_size, 256u << 10);
    ck_assert_uint_ge(sb.segment_count, 4);
    ck_assert_uint_eq(store_min_bytes(512), 4096 + 4 * 65536);
    ck_assert_int_eq(store_geometry(store_min_bytes(512) / 512, 512, 0, &sb), 0);
    ck_assert_uint_eq(sb.segment_count, 4);
    ck_assert_int_eq(store_geometry(store_min_bytes(512) / 512 - 1, 512, 0, &sb), -ENOSPC);
    ck_assert_int_eq(store_geometry(1000, 500, 0, &sb), -EINVAL);
    ck_assert_int_eq(store_geometry(1000000, 512, 1000, &sb), -EINVAL);
    /* Sector 0 and the two key state sectors come first. */
    ck_assert_int_eq(store_geometry((64u << 20) / 4096, 4096, 0, &sb), 0);
    ck_assert_uint_eq(sb.first_sector, 3);
}
END_TEST

Suite *crc32c_suite(void)
{
    Suite *s = suite_create("siem-store-crc32c");
    TCase *tc = tcase_create("crc32c");
    tcase_add_test(tc, check_value);
    tcase_add_test(tc, iscsi_vectors);
    tcase_add_test(tc, chained);
    tcase_add_test(tc, layout_round_trip);
    tcase_add_test(tc, geometry);
    suite_add_tcase(s, tc);
    return s;
}
