/* Ids as hex (apps/siem/common/id.c). */
#include <check.h>
#include <string.h>

#include "id.h"

START_TEST(hex_round_trip)
{
    uint8_t digest[crypto_hash_sha256_BYTES], back[16];
    for (unsigned i = 0; i < crypto_hash_sha256_BYTES; i++)
        digest[i] = (uint8_t)(i * 17 + 5);
    char id[SIEM_ID_LEN];
    siem_id_hex(digest, id);
    ck_assert_str_eq(id, "05162738495a6b7c8d9eafc0d1e2f304");
    ck_assert_int_eq(siem_id_parse(id, 32, back), 0);
    ck_assert_int_eq(memcmp(back, digest, 16), 0);
    /* Either case reads the same. */
    ck_assert_int_eq(siem_id_parse("05162738495A6B7C8D9EAFC0D1E2F304", 32, back), 0);
    ck_assert_int_eq(memcmp(back, digest, 16), 0);
}
END_TEST

START_TEST(parse_rejects)
{
    uint8_t out[16];
    memset(out, 0xaa, sizeof(out));
    ck_assert_int_eq(siem_id_parse("05162738495a6b7c8d9eafc0d1e2f30", 31, out), -1);
    ck_assert_int_eq(siem_id_parse("05162738495a6b7c8d9eafc0d1e2f3045", 33, out), -1);
    ck_assert_int_eq(siem_id_parse("05162738495a6b7c8d9eafc0d1e2f30g", 32, out), -1);
    ck_assert_int_eq(siem_id_parse("rule-7/host-1/42rule-7/host-1/42", 32, out), -1);
    ck_assert_int_eq(siem_id_parse("", 0, out), -1);
    for (int i = 0; i < 16; i++) /* nothing written on failure */
        ck_assert_uint_eq(out[i], 0xaa);
}
END_TEST

Suite *id_suite(void)
{
    Suite *s = suite_create("siem-id");
    TCase *tc = tcase_create("id");
    tcase_add_test(tc, hex_round_trip);
    tcase_add_test(tc, parse_rejects);
    suite_add_tcase(s, tc);
    return s;
}
