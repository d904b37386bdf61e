/* SIEM ids <-> their 16 bytes. */
#include "id.h"

void siem_id_hex(const uint8_t digest[crypto_hash_sha256_BYTES], char out[SIEM_ID_LEN])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[32] = '\0';
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int siem_id_parse(const char *text, size_t len, uint8_t out[16])
{
    if (len != 32)
        return -1;
    uint8_t v[16];
    for (int i = 0; i < 16; i++) {
        int hi = hexval(text[2 * i]), lo = hexval(text[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        v[i] = (uint8_t)(hi << 4 | lo);
    }
    for (int i = 0; i < 16; i++)
        out[i] = v[i];
    return 0;
}
