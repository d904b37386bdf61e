/* JSON text written without a tree (jsonw.h). */
#include "jsonw.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Makes room for n more bytes and the NUL. */
static int room(struct jsonw *w, size_t n)
{
    if (w->oom)
        return 0;
    if (w->len + n < w->cap)
        return 1;
    size_t cap = w->cap ? w->cap : 256;
    while (w->len + n >= cap)
        cap *= 2;
    char *b = realloc(w->buf, cap);
    if (!b) {
        w->oom = 1;
        return 0;
    }
    w->buf = b;
    w->cap = cap;
    return 1;
}

void jw_init(struct jsonw *w, size_t hint)
{
    w->buf = NULL;
    w->len = w->cap = 0;
    w->oom = 0;
    room(w, hint);
}

void jw_raw(struct jsonw *w, const char *p, size_t len)
{
    if (!room(w, len))
        return;
    memcpy(w->buf + w->len, p, len);
    w->len += len;
}

void jw_string(struct jsonw *w, const char *text, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)text;
    /* At most 6 bytes out per byte in (\u00xx), plus the quotes. */
    if (!room(w, len * 6 + 2))
        return;
    char *o = w->buf + w->len;
    *o++ = '"';
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        if (c >= 0x80 || c == 0) {
            size_t used;
            o += siem_utf8_copy(o, p + i, len - i, &used);
            i += used;
            continue;
        }
        i++;
        if (c >= 0x20 && c != '"' && c != '\\') {
            *o++ = (char)c;
            continue;
        }
        *o++ = '\\';
        switch (c) {
        case '"':
        case '\\':
            *o++ = (char)c;
            break;
        case '\b':
            *o++ = 'b';
            break;
        case '\f':
            *o++ = 'f';
            break;
        case '\n':
            *o++ = 'n';
            break;
        case '\r':
            *o++ = 'r';
            break;
        case '\t':
            *o++ = 't';
            break;
        default:
            memcpy(o, "u00", 3);
            o[3] = hex[c >> 4];
            o[4] = hex[c & 15];
            o += 5;
        }
    }
    *o++ = '"';
    w->len = (size_t)(o - w->buf);
}

void jw_int(struct jsonw *w, long long v)
{
    char d[24];
    size_t n = sizeof(d);
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do {
        d[--n] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        d[--n] = '-';
    jw_raw(w, d + n, sizeof(d) - n);
}

char *jw_finish(struct jsonw *w, size_t *len)
{
    if (w->oom || !room(w, 0)) {
        free(w->buf);
        w->buf = NULL;
        return NULL;
    }
    w->buf[w->len] = '\0';
    if (len)
        *len = w->len;
    char *b = w->buf;
    w->buf = NULL;
    return b;
}
