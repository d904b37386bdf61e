/* NATS nkeys (apps/siem/common/nkey.c): the text forms, their checks, and
 * signatures that libsodium verifies with the public key. */
#include <check.h>
#include <sodium/crypto_sign_ed25519.h>
#include <stdio.h>
#include <string.h>

#include "nkey.h"

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/* A fixed seed's text. */
static void fixed_seed(char text[NKEY_SEED_LEN + 1])
{
    unsigned char seed[32];
    for (int i = 0; i < 32; i++)
        seed[i] = (unsigned char)(i * 7 + 1);
    nkey_seed_text(seed, text);
}

START_TEST(crc16_check_value)
{
    /* CRC-16/XMODEM's catalogued check value. */
    ck_assert_uint_eq(nkey_crc16((const unsigned char *)"123456789", 9), 0x31c3);
}
END_TEST

START_TEST(seed_round_trip)
{
    char text[NKEY_SEED_LEN + 1];
    fixed_seed(text);
    ck_assert_uint_eq(strlen(text), NKEY_SEED_LEN);
    ck_assert(strncmp(text, "SU", 2) == 0);
    struct nkey k;
    ck_assert_int_eq(nkey_from_seed(text, &k), 0);
    ck_assert_uint_eq(strlen(k.public_key), NKEY_PUBLIC_LEN);
    ck_assert_int_eq(k.public_key[0], 'U');
    /* White space around it (a key file's newline) does no harm. */
    char padded[80];
    snprintf(padded, sizeof(padded), "  %s\n", text);
    struct nkey again;
    ck_assert_int_eq(nkey_from_seed(padded, &again), 0);
    ck_assert_str_eq(again.public_key, k.public_key);
    ck_assert_int_eq(memcmp(again.secret, k.secret, sizeof(k.secret)), 0);
}
END_TEST

START_TEST(public_key_is_the_key)
{
    char text[NKEY_SEED_LEN + 1];
    fixed_seed(text);
    struct nkey k;
    ck_assert_int_eq(nkey_from_seed(text, &k), 0);
    /* base32 of 'U' prefix byte, the 32 public key bytes (the second half
     * of libsodium's secret key) and the CRC, decoded by hand. */
    unsigned char raw[35];
    unsigned buf = 0;
    int bits = 0;
    size_t n = 0;
    for (const char *c = k.public_key; *c; c++) {
        buf = (buf << 5) | (unsigned)(strchr(b32, *c) - b32);
        bits += 5;
        if (bits >= 8) {
            raw[n++] = (unsigned char)(buf >> (bits - 8));
            bits -= 8;
        }
    }
    ck_assert_uint_eq(n, 35);
    ck_assert_uint_eq(raw[0], 20 << 3);
    ck_assert_int_eq(memcmp(raw + 1, k.secret + 32, 32), 0);
    ck_assert_uint_eq(nkey_crc16(raw, 33), (unsigned)(raw[33] | raw[34] << 8));
}
END_TEST

START_TEST(rejects_what_is_not_a_user_seed)
{
    char text[NKEY_SEED_LEN + 1];
    fixed_seed(text);
    struct nkey k;
    /* One character changed: the checksum no longer holds. */
    char bad[NKEY_SEED_LEN + 1];
    strcpy(bad, text);
    bad[20] = bad[20] == 'A' ? 'B' : 'A';
    ck_assert_int_eq(nkey_from_seed(bad, &k), -1);
    /* Too short, too long, outside the alphabet. */
    ck_assert_int_eq(nkey_from_seed("SUABC", &k), -1);
    strcpy(bad, text);
    bad[NKEY_SEED_LEN - 1] = '\0';
    ck_assert_int_eq(nkey_from_seed(bad, &k), -1);
    strcpy(bad, text);
    bad[30] = '1';
    ck_assert_int_eq(nkey_from_seed(bad, &k), -1);
    /* A public key is not a seed. */
    ck_assert_int_eq(nkey_from_seed(text, &k), 0);
    ck_assert_int_eq(nkey_from_seed(k.public_key, &k), -1);
    ck_assert_int_eq(nkey_from_seed("", &k), -1);
}
END_TEST

START_TEST(signature_verifies)
{
    char text[NKEY_SEED_LEN + 1], sig[NKEY_SIG_SIZE];
    fixed_seed(text);
    struct nkey k;
    ck_assert_int_eq(nkey_from_seed(text, &k), 0);
    const char nonce[] = "n0nc3-from-the-server";
    nkey_sign(&k, nonce, strlen(nonce), sig);
    ck_assert_uint_eq(strlen(sig), NKEY_SIG_SIZE - 1);
    unsigned char raw[66];
    unsigned buf = 0;
    int bits = 0;
    size_t n = 0;
    for (const char *c = sig; *c; c++) {
        const char *p = strchr(b64url, *c);
        ck_assert_ptr_nonnull(p);
        buf = (buf << 6) | (unsigned)(p - b64url);
        bits += 6;
        if (bits >= 8) {
            raw[n++] = (unsigned char)(buf >> (bits - 8));
            bits -= 8;
        }
    }
    ck_assert_uint_eq(n, 64);
    ck_assert_int_eq(crypto_sign_ed25519_verify_detached(raw, (const unsigned char *)nonce,
                                                         strlen(nonce), k.secret + 32),
                     0);
    raw[0] ^= 1;
    ck_assert_int_eq(crypto_sign_ed25519_verify_detached(raw, (const unsigned char *)nonce,
                                                         strlen(nonce), k.secret + 32),
                     -1);
    nkey_wipe(&k);
    static const unsigned char zero[64];
    ck_assert_int_eq(memcmp(k.secret, zero, sizeof(zero)), 0);
}
END_TEST

Suite *nkey_suite(void)
{
    Suite *s = suite_create("nkey");
    TCase *tc = tcase_create("nkey");
    tcase_add_test(tc, crc16_check_value);
    tcase_add_test(tc, seed_round_trip);
    tcase_add_test(tc, public_key_is_the_key);
    tcase_add_test(tc, rejects_what_is_not_a_user_seed);
    tcase_add_test(tc, signature_verifies);
    suite_add_tcase(s, tc);
    return s;
}
