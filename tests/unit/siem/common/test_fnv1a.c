/* FNV-1a 64 (apps/siem/common/fnv1a.c). */
#include <check.h>

#include "fnv1a.h"

START_TEST(published_vectors)
{
    ck_assert(siem_fnv1a64(SIEM_FNV1A64_BASIS, "", 0) == SIEM_FNV1A64_BASIS);
    ck_assert(siem_fnv1a64(SIEM_FNV1A64_BASIS, "a", 1) == 0xaf63dc4c8601ec8cULL);
    ck_assert(siem_fnv1a64(SIEM_FNV1A64_BASIS, "foobar", 6) == 0x85944171f73967e8ULL);
    /* Continuing a hash is hashing the concatenation. */
    ck_assert(siem_fnv1a64(siem_fnv1a64(SIEM_FNV1A64_BASIS, "foo", 3), "bar", 3) ==
              0x85944171f73967e8ULL);
}
END_TEST

Suite *fnv1a_suite(void)
{
    Suite *s = suite_create("siem-fnv1a");
    TCase *tc = tcase_create("fnv1a");
    tcase_add_test(tc, published_vectors);
    suite_add_tcase(s, tc);
    return s;
}
