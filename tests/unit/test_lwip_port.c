/* Unit tests for net/chksum.c and net/copy.c, the checksum and copy
 * routines the lwIP port uses in place of lwIP's own, against plain
 * reference versions over every length and alignment that matters. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lwip_port.h"
#include "suites.h"

/* RFC 1071: the one's-complement sum of big-endian 16-bit words, an odd
 * last octet padded with zero; returned the way lwIP's routine returns it,
 * as the sum's two octets read in host (little-endian) order. */
static uint16_t ref_chksum(const uint8_t *p, int len)
{
    uint32_t sum = 0;
    int i;
    for (i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (i < len)
        sum += (uint32_t)p[i] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)(sum >> 8 | (sum & 0xff) << 8);
}

/* 0 and 0xffff are the same number in one's complement; the checksum of
 * a buffer that sums to either may come out as either. */
static int same_sum(uint16_t a, uint16_t b)
{
    return a == b || ((a == 0 || a == 0xffff) && (b == 0 || b == 0xffff));
}

START_TEST(chksum_rfc1071_example)
{
    /* RFC 1071 section 3: these eight octets sum to 0xddf2. */
    static const uint8_t data[] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
    ck_assert_uint_eq(lwip_port_chksum(data, sizeof(data)), 0xf2dd);
}
END_TEST

START_TEST(chksum_every_length_and_alignment)
{
    static uint8_t buf[1600];
    srandom(1071);
    for (int round = 0; round < 4; round++) {
        for (size_t i = 0; i < sizeof(buf); i++)
            buf[i] = round == 0 ? 0xff : round == 1 ? 0 : (uint8_t)random();
        for (int off = 0; off < 8; off++)
            for (int len = 0; len <= 1514; len += len < 80 ? 1 : 61) {
                uint16_t got = lwip_port_chksum(buf + off, len), want = ref_chksum(buf + off, len);
                ck_assert_msg(same_sum(got, want), "round %d offset %d length %d: %04x, want %04x",
                              round, off, len, got, want);
            }
    }
}
END_TEST

START_TEST(copy_every_length_and_alignment)
{
    uint8_t src[96], dst[96 + 16];
    for (size_t i = 0; i < sizeof(src); i++)
        src[i] = (uint8_t)(i * 7 + 1);
    for (int off = 0; off < 8; off++)
        for (size_t n = 0; n + off <= sizeof(src); n++) {
            memset(dst, 0xee, sizeof(dst));
            ck_assert_ptr_eq(lwip_port_memcpy(dst + 8 + off, src + off, n), dst + 8 + off);
            ck_assert_msg(memcmp(dst + 8 + off, src + off, n) == 0, "offset %d length %zu", off, n);
            for (int i = 0; i < 8 + off; i++) /* nothing written outside */
                ck_assert_uint_eq(dst[i], 0xee);
            for (size_t i = 8 + off + n; i < sizeof(dst); i++)
                ck_assert_uint_eq(dst[i], 0xee);
        }
}
END_TEST

Suite *lwip_port_suite(void)
{
    Suite *s = suite_create("lwip_port");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, chksum_rfc1071_example);
    tcase_add_test(tc, chksum_every_length_and_alignment);
    tcase_add_test(tc, copy_every_length_and_alignment);
    suite_add_tcase(s, tc);
    return s;
}
