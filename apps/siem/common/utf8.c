/* UTF-8 validation and repair (RFC 3629, section 4 syntax). */
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

size_t siem_utf8_seq(const unsigned char *p, size_t len)
{
    if (len == 0)
        return 0;
    unsigned char c = p[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* the allowed range of the 2nd byte */
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0; /* shorter forms are overlong */
        else if (c == 0xED)
            hi = 0x9F; /* U+D800..U+DFFF are surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else
        return 0;
    if (len < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return n;
}

char *siem_utf8_dup(const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text;
    /* Each bad byte becomes three (EF BF BD): size for the worst case
     * only when there is a bad byte, to keep the common case tight. */
    size_t need = 0;
    for (size_t i = 0; i < len;) {
        size_t n = p[i] ? siem_utf8_seq(p + i, len - i) : 0;
        need += n ? n : 3;
        i += n ? n : 1;
    }
    char *out = malloc(need + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0, used; i < len; i += used)
        o += siem_utf8_copy(o, p + i, len - i, &used);
    *o = '\0';
    return out;
}

size_t siem_utf8_copy(char *out, const unsigned char *p, size_t len, size_t *used)
{
    size_t n = p[0] ? siem_utf8_seq(p, len) : 0;
    if (n) {
        memcpy(out, p, n);
        *used = n;
        return n;
    }
    memcpy(out, "\xEF\xBF\xBD", 3);
    *used = 1;
    return 3;
}
