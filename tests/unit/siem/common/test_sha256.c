/* SHA-256 against FIPS 180-2 appendix B vectors and block-boundary
 * lengths (apps/siem/common/sha256.c). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

static void hex(const uint8_t d[SIEM_SHA256_LEN], char out[65])
{
    for (int i = 0; i < SIEM_SHA256_LEN; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void check_digest(const void *data, size_t len, const char *want)
{
    uint8_t d[SIEM_SHA256_LEN];
    char h[65];
    siem_sha256(data, len, d);
    hex(d, h);
    ck_assert_str_eq(h, want);
}

START_TEST(fips_vectors)
{
    check_digest("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_digest("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    check_digest(two, strlen(two),
                 "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}
END_TEST

START_TEST(million_a)
{
    struct siem_sha256 c;
    uint8_t d[SIEM_SHA256_LEN];
    char h[65], chunk[1000];
    memset(chunk, 'a', sizeof(chunk));
    siem_sha256_init(&c);
    for (int i = 0; i < 1000; i++)
        siem_sha256_update(&c, chunk, sizeof(chunk));
    siem_sha256_final(&c, d);
    hex(d, h);
    ck_assert_str_eq(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

/* Lengths around the 55/56-byte padding split and the 64-byte block. */
START_TEST(block_boundaries)
{
    static const struct {
        size_t n;
        const char *want;
    } v[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
        {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
        {128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"},
    };
    char a[128];
    memset(a, 'a', sizeof(a));
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
        check_digest(a, v[i].n, v[i].want);
}
END_TEST

/* Any split of the input gives the one-shot digest. */
START_TEST(incremental_equals_oneshot)
{
    uint8_t buf[300], one[SIEM_SHA256_LEN], inc[SIEM_SHA256_LEN];
    for (size_t i = 0; i < sizeof(buf); i++)
        buf[i] = (uint8_t)(i * 7 + 3);
    for (size_t len = 0; len <= sizeof(buf); len += 13) {
        siem_sha256(buf, len, one);
        for (size_t step = 1; step <= 70; step += 23) {
            struct siem_sha256 c;
            siem_sha256_init(&c);
            for (size_t off = 0; off < len; off += step)
                siem_sha256_update(&c, buf + off, len - off < step ? len - off : step);
            siem_sha256_update(&c, NULL, 0);
            siem_sha256_final(&c, inc);
            ck_assert_mem_eq(one, inc, SIEM_SHA256_LEN);
        }
    }
}
END_TEST

Suite *sha256_suite(void)
{
    Suite *s = suite_create("siem-sha256");
    TCase *tc = tcase_create("sha256");
    tcase_add_test(tc, fips_vectors);
    tcase_add_test(tc, million_a);
    tcase_add_test(tc, block_boundaries);
    tcase_add_test(tc, incremental_equals_oneshot);
    suite_add_tcase(s, tc);
    return s;
}
