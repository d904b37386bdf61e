/* A JetStream PubAck read without building a JSON tree: one object of
 * members, each scanned or skipped exactly (RFC 8259 syntax). */
#include "puback.h"

#include <string.h>

/* Nesting allowed in a skipped value ({"error":{...}} needs 2). */
#define SKIP_DEPTH 8

struct scan {
    const char *p, *end;
};

static void space(struct scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
        s->p++;
}

/* 1 when the next non-space character is c (then it is consumed). */
static int punct(struct scan *s, char c)
{
    space(s);
    if (s->p < s->end && *s->p == c) {
        s->p++;
        return 1;
    }
    return 0;
}

static int word(struct scan *s, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0)
        return 0;
    s->p += n;
    return 1;
}

/* A string; *text and *len get its raw content (escapes left as they are,
 * which is enough to compare the member names a PubAck has). */
static int string(struct scan *s, const char **text, size_t *len)
{
    if (!punct(s, '"'))
        return 0;
    const char *start = s->p;
    while (s->p < s->end && *s->p != '"') {
        if ((unsigned char)*s->p < 0x20)
            return 0;
        if (*s->p == '\\' && ++s->p == s->end)
            return 0;
        s->p++;
    }
    if (s->p == s->end)
        return 0;
    *text = start;
    *len = (size_t)(s->p - start);
    s->p++;
    return 1;
}

/* An unsigned integer without sign, fraction or exponent, as seq is. */
static int integer(struct scan *s, uint64_t *v)
{
    space(s);
    const char *start = s->p;
    uint64_t n = 0;
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
        unsigned d = (unsigned)(*s->p - '0');
        if (n > (UINT64_MAX - d) / 10)
            return 0;
        n = n * 10 + d;
        s->p++;
    }
    size_t digits = (size_t)(s->p - start);
    if (digits == 0 || (digits > 1 && *start == '0'))
        return 0;
    if (s->p < s->end && (*s->p == '.' || *s->p == 'e' || *s->p == 'E'))
        return 0;
    *v = n;
    return 1;
}

/* A number of any form: -?digits[.digits][e[+-]digits]. */
static int number(struct scan *s)
{
    if (s->p < s->end && *s->p == '-')
        s->p++;
    const char *start = s->p;
    while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
        s->p++;
    if (s->p == start)
        return 0;
    if (s->p < s->end && *s->p == '.') {
        start = ++s->p;
        while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
            s->p++;
        if (s->p == start)
            return 0;
    }
    if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
        s->p++;
        if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
            s->p++;
        start = s->p;
        while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
            s->p++;
        if (s->p == start)
            return 0;
    }
    return 1;
}

/* Any JSON value, checked and passed over. */
static int skip(struct scan *s, int depth)
{
    const char *text;
    size_t len;
    space(s);
    if (s->p == s->end)
        return 0;
    char c = *s->p;
    if (c == '"')
        return string(s, &text, &len);
    if (c != '{' && c != '[')
        return word(s, "true") || word(s, "false") || word(s, "null") || number(s);
    char close = c == '{' ? '}' : ']';
    s->p++;
    if (depth >= SKIP_DEPTH)
        return 0;
    if (punct(s, close))
        return 1;
    do {
        if (c == '{' && (!string(s, &text, &len) || !punct(s, ':')))
            return 0;
        if (!skip(s, depth + 1))
            return 0;
    } while (punct(s, ','));
    return punct(s, close);
}

static int is(const char *text, size_t len, const char *name)
{
    return len == strlen(name) && memcmp(text, name, len) == 0;
}

enum js_puback js_puback_scan(const char *p, size_t len, uint64_t *seq, int *duplicate)
{
    struct scan s = {p, p + len};
    int stream = 0, have_seq = 0, error = 0, dup = 0;
    uint64_t n = 0;
    if (!p || !punct(&s, '{'))
        return JS_PUBACK_BAD;
    if (!punct(&s, '}')) {
        do {
            const char *key, *text;
            size_t klen, tlen;
            if (!string(&s, &key, &klen) || !punct(&s, ':'))
                return JS_PUBACK_BAD;
            space(&s);
            int ok;
            if (is(key, klen, "stream"))
                ok = stream = string(&s, &text, &tlen) && tlen > 0;
            else if (is(key, klen, "seq"))
                ok = have_seq = integer(&s, &n);
            else if (is(key, klen, "duplicate"))
                ok = (dup = word(&s, "true")) || word(&s, "false");
            else
                ok = skip(&s, 0);
            error |= is(key, klen, "error");
            if (!ok)
                return JS_PUBACK_BAD;
        } while (punct(&s, ','));
        if (!punct(&s, '}'))
            return JS_PUBACK_BAD;
    }
    space(&s);
    if (s.p != s.end)
        return JS_PUBACK_BAD;
    if (error)
        return JS_PUBACK_ERROR;
    if (!stream || !have_seq)
        return JS_PUBACK_BAD;
    if (seq)
        *seq = n;
    if (duplicate)
        *duplicate = dup;
    return JS_PUBACK_STORED;
}
