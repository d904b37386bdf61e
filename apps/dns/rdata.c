/* RDATA of the supported types from master-file text to wire form: A, AAAA
 * (RFC 1035 section 3.4.1, RFC 3596), NS, CNAME, PTR, MX, SOA, TXT (RFC 1035
 * section 3.3), SRV (RFC 2782) and CAA (RFC 8659). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "dns.h"

static int fail(struct rdata_ctx *c, const char *why)
{
    snprintf(c->err, c->errlen, "%s", why);
    return -1;
}

/* The next token of this record; end of line means the RDATA is incomplete. */
static int field(struct rdata_ctx *c, struct token *t, const char *what, bool quoted_ok)
{
    *t = lex_next(c->lx);
    c->line = t->line;
    if (t->kind == TOK_ERROR)
        return -1; /* the lexer wrote the reason */
    if (t->kind == TOK_EOL || t->kind == TOK_EOF) {
        snprintf(c->err, c->errlen, "missing %s", what);
        return -1;
    }
    if (t->kind == TOK_QUOTED && !quoted_ok) {
        snprintf(c->err, c->errlen, "%s may not be a quoted string", what);
        return -1;
    }
    return 0;
}

static int number(struct rdata_ctx *c, const char *what, uint32_t max, uint32_t *out)
{
    struct token t;
    if (field(c, &t, what, false) < 0)
        return -1;
    uint64_t v = 0;
    for (size_t i = 0; i < t.len; i++) {
        if (t.text[i] < '0' || t.text[i] > '9' || t.len > 10)
            goto bad;
        v = v * 10 + (uint64_t)(t.text[i] - '0');
    }
    if (v > max)
        goto bad;
    *out = (uint32_t)v;
    return 0;
bad:
    snprintf(c->err, c->errlen, "bad %s '%.*s' (a number 0..%lu)", what, (int)t.len, t.text,
             (unsigned long)max);
    return -1;
}

/* TTL-style value: seconds, or numbers with units s m h d w ("1h30m"), up
 * to 2^31 - 1 (RFC 2181 section 8). Returns 0 or -1. */
int parse_ttl(const char *s, size_t n, uint32_t *out)
{
    uint64_t total = 0, cur = 0;
    bool digits = false;
    if (n == 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= '0' && c <= '9') {
            cur = cur * 10 + (uint64_t)(c - '0');
            digits = true;
            if (cur > DNS_TTL_MAX)
                return -1;
            continue;
        }
        uint64_t unit;
        switch (dns_lower((uint8_t)c)) {
        case 's':
            unit = 1;
            break;
        case 'm':
            unit = 60;
            break;
        case 'h':
            unit = 3600;
            break;
        case 'd':
            unit = 86400;
            break;
        case 'w':
            unit = 604800;
            break;
        default:
            return -1;
        }
        if (!digits)
            return -1;
        total += cur * unit;
        cur = 0;
        digits = false;
        if (total > DNS_TTL_MAX)
            return -1;
    }
    total += cur;
    if (total > DNS_TTL_MAX)
        return -1;
    *out = (uint32_t)total;
    return 0;
}

static int ttl_field(struct rdata_ctx *c, const char *what, uint8_t *out)
{
    struct token t;
    uint32_t v;
    if (field(c, &t, what, false) < 0)
        return -1;
    if (parse_ttl(t.text, t.len, &v) < 0) {
        snprintf(c->err, c->errlen, "bad %s '%.*s'", what, (int)t.len, t.text);
        return -1;
    }
    put32(out, v);
    return 0;
}

static int name_field(struct rdata_ctx *c, const char *what, uint8_t *out, size_t cap)
{
    struct token t;
    struct dname d;
    const char *why;
    if (field(c, &t, what, false) < 0)
        return -1;
    if (name_from_text(t.text, t.len, c->origin, &d, &why) < 0) {
        snprintf(c->err, c->errlen, "bad %s '%.*s': %s", what, (int)t.len, t.text, why);
        return -1;
    }
    if (d.len > cap)
        return fail(c, "RDATA too long");
    memcpy(out, d.wire, d.len);
    return d.len;
}

static int address(struct rdata_ctx *c, bool v6, uint8_t *out)
{
    struct token t;
    if (field(c, &t, v6 ? "IPv6 address" : "IPv4 address", false) < 0)
        return -1;
    /* inet_pton: libos's in the image, the C library's in the host build;
     * both take strict dotted quads and RFC 4291 text. */
    char text[INET6_ADDRSTRLEN];
    bool ok = t.len < sizeof(text);
    if (ok) {
        memcpy(text, t.text, t.len);
        text[t.len] = '\0';
        ok = inet_pton(v6 ? AF_INET6 : AF_INET, text, out) == 1;
    }
    if (!ok) {
        snprintf(c->err, c->errlen, "bad %s address '%.*s'", v6 ? "IPv6" : "IPv4", (int)t.len,
                 t.text);
        return -1;
    }
    return v6 ? 16 : 4;
}

/* One or more character-strings, each at most 255 octets. */
static int txt(struct rdata_ctx *c, uint8_t *out, size_t cap)
{
    size_t len = 0;
    for (;;) {
        struct token t = lex_next(c->lx);
        c->line = t.line;
        if (t.kind == TOK_ERROR)
            return -1;
        if (t.kind == TOK_EOL || t.kind == TOK_EOF) {
            if (len == 0)
                return fail(c, "missing text");
            return (int)len;
        }
        const char *why;
        uint8_t s[DNS_TXT_MAX];
        int n = text_unescape(t.text, t.len, s, sizeof(s), &why);
        if (n < 0) {
            snprintf(c->err, c->errlen, "bad character-string: %s",
                     strcmp(why, "text too long") == 0 ? "longer than 255 octets" : why);
            return -1;
        }
        if (len + 1 + (size_t)n > cap)
            return fail(c, "TXT RDATA longer than 65535 octets");
        out[len++] = (uint8_t)n;
        memcpy(out + len, s, (size_t)n);
        len += (size_t)n;
    }
}

/* RFC 8659 section 4.1.1: flags, a tag of 1..15 letters and digits, and a
 * value that is the rest of the RDATA. */
static int caa(struct rdata_ctx *c, uint8_t *out, size_t cap)
{
    uint32_t flags;
    struct token t;
    const char *why;
    if (number(c, "CAA flags", 255, &flags) < 0 || field(c, &t, "CAA tag", false) < 0)
        return -1;
    int tl = text_unescape(t.text, t.len, out + 2, 15, &why);
    if (tl < 1)
        return fail(c, "CAA tag must be 1..15 letters or digits");
    for (int i = 0; i < tl; i++) {
        uint8_t ch = dns_lower(out[2 + i]);
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')))
            return fail(c, "CAA tag must be 1..15 letters or digits");
    }
    out[0] = (uint8_t)flags;
    out[1] = (uint8_t)tl;
    if (field(c, &t, "CAA value", true) < 0)
        return -1;
    int vl = text_unescape(t.text, t.len, out + 2 + tl, cap - 2 - (size_t)tl, &why);
    if (vl < 0) {
        snprintf(c->err, c->errlen, "bad CAA value: %s", why);
        return -1;
    }
    return 2 + tl + vl;
}

/* The fields of one RDATA into out (at least 65535 octets), then the end of
 * the record. Returns the RDATA length or -1 with c->err set. */
int rdata_parse(struct rdata_ctx *c, uint16_t type, uint8_t *out, size_t cap)
{
    int len = 0, n;
    uint32_t v;
    switch (type) {
    case T_A:
    case T_AAAA:
        len = address(c, type == T_AAAA, out);
        break;
    case T_NS:
    case T_CNAME:
    case T_PTR:
        len = name_field(c, "target name", out, cap);
        break;
    case T_MX:
        if (number(c, "MX preference", 65535, &v) < 0)
            return -1;
        put16(out, (uint16_t)v);
        n = name_field(c, "mail exchange", out + 2, cap - 2);
        len = n < 0 ? -1 : 2 + n;
        break;
    case T_SRV:
        for (int i = 0; i < 3; i++) {
            static const char *what[] = {"SRV priority", "SRV weight", "SRV port"};
            if (number(c, what[i], 65535, &v) < 0)
                return -1;
            put16(out + 2 * i, (uint16_t)v);
        }
        n = name_field(c, "SRV target", out + 6, cap - 6);
        len = n < 0 ? -1 : 6 + n;
        break;
    case T_SOA: {
        int m = name_field(c, "SOA MNAME", out, cap);
        int r = m < 0 ? -1 : name_field(c, "SOA RNAME", out + m, cap - (size_t)m);
        if (r < 0 || number(c, "SOA serial", UINT32_MAX, &v) < 0)
            return -1;
        len = m + r;
        put32(out + len, v);
        len += 4;
        static const char *what[] = {"SOA refresh", "SOA retry", "SOA expire", "SOA minimum"};
        for (int i = 0; i < 4; i++, len += 4)
            if (ttl_field(c, what[i], out + len) < 0)
                return -1;
        break;
    }
    case T_TXT:
        return txt(c, out, cap); /* consumed the end of line itself */
    case T_CAA:
        len = caa(c, out, cap);
        break;
    default:
        return fail(c, "unsupported type");
    }
    if (len < 0)
        return -1;
    struct token t = lex_next(c->lx);
    if (t.kind == TOK_ERROR)
        return -1;
    if (t.kind != TOK_EOL && t.kind != TOK_EOF) {
        c->line = t.line;
        snprintf(c->err, c->errlen, "unexpected '%.*s' after the %s RDATA", (int)t.len, t.text,
                 type_name(type));
        return -1;
    }
    return len;
}
