/* The RFC 1035 section 5 master-file parser: directives, owner/TTL/class/
 * type fields, then checks over the whole zone. Any error rejects the zone
 * with "file:line: reason"; nothing is half-loaded. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"

#define ZONE_RECORDS_MAX 4000000 /* keeps every index within 32 bits */

struct parser {
    struct zone *z;
    struct lexer lx;
    struct dname origin, owner;
    bool have_origin, have_owner, have_default_ttl, have_last_ttl;
    uint32_t default_ttl, last_ttl, owner_off;
    char why[512];
    uint8_t *rdata; /* one RDATA being parsed: 64 KiB, freed after loading */
};

/* Records why the record at hand is wrong; returns -1 for the caller to
 * return. */
__attribute__((format(printf, 2, 3))) static int reason(struct parser *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->why, sizeof(p->why), fmt, ap);
    va_end(ap);
    return -1;
}

const uint8_t *zone_name(const struct zone *z, uint32_t off)
{
    return z->arena + off;
}

void zone_free(struct zone *z)
{
    free(z->rr);
    free(z->arena);
    z->rr = NULL;
    z->arena = NULL;
    z->nrr = z->caprr = z->used = z->cap = 0;
}

/* "example.test.zone" names the zone example.test: that is the origin
 * before any $ORIGIN. Other file names give no origin. */
int zone_origin_from_file(const char *file, struct dname *out)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    size_t n = strlen(base);
    if (n <= 5 || strcmp(base + n - 5, ".zone") != 0 || n - 5 > 250)
        return -1;
    char text[256];
    memcpy(text, base, n - 5);
    text[n - 5] = '.';
    const char *why;
    return name_from_text(text, n - 4, NULL, out, &why);
}

static int arena_add(struct zone *z, const void *data, size_t n, uint32_t *off)
{
    if (z->used + n > z->cap) {
        size_t cap = z->cap ? z->cap * 2 : 16384;
        while (cap < z->used + n)
            cap *= 2;
        if (cap > UINT32_MAX)
            return -1;
        uint8_t *a = realloc(z->arena, cap);
        if (!a)
            return -1;
        z->arena = a;
        z->cap = cap;
    }
    memcpy(z->arena + z->used, data, n);
    *off = (uint32_t)z->used;
    z->used += n;
    return 0;
}

static int fail(struct parser *p, unsigned line, char *err, size_t errlen)
{
    snprintf(err, errlen, "%s:%u: %s", p->z->file, line, p->why);
    return -1;
}

static bool word_is(const struct token *t, const char *w)
{
    size_t n = strlen(w);
    if (t->kind != TOK_WORD || t->len != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (dns_lower((uint8_t)t->text[i]) != dns_lower((uint8_t)w[i]))
            return false;
    return true;
}

/* "CLASS1" and the like (RFC 3597 section 5). */
static bool is_class_n(const struct token *t)
{
    if (t->len <= 5)
        return false;
    struct token head = *t;
    head.len = 5;
    return word_is(&head, "CLASS");
}

/* $ORIGIN, $TTL, $INCLUDE (refused: there is no file system to read it
 * from). Returns 0 or -1 with p->why set. */
static int directive(struct parser *p, struct token *t)
{
    struct token arg = lex_next(&p->lx);
    const char *why;
    bool has_arg = arg.kind == TOK_WORD;
    if (arg.kind == TOK_ERROR)
        return -1; /* the lexer wrote the reason into p->why */
    if (word_is(t, "$INCLUDE"))
        return reason(p, "$INCLUDE is not supported (zones are loaded without a file system; "
                         "put the records in one file)");
    if (word_is(t, "$ORIGIN") && has_arg) {
        if (name_from_text(arg.text, arg.len, p->have_origin ? &p->origin : NULL, &p->origin,
                           &why) < 0)
            return reason(p, "bad $ORIGIN: %s", why);
        p->have_origin = true;
    } else if (word_is(t, "$TTL") && has_arg) {
        if (parse_ttl(arg.text, arg.len, &p->default_ttl) < 0)
            return reason(p, "bad $TTL '%.*s'", (int)arg.len, arg.text);
        p->have_default_ttl = true;
    } else if (word_is(t, "$ORIGIN") || word_is(t, "$TTL")) {
        return reason(p, "%.*s needs a value", (int)t->len, t->text);
    } else {
        return reason(p, "unknown directive '%.*s'", (int)t->len, t->text);
    }
    struct token end = lex_next(&p->lx);
    if (end.kind != TOK_EOL && end.kind != TOK_EOF)
        return reason(p, "unexpected text after %.*s", (int)t->len, t->text);
    return 0;
}

/* One record: [owner] [TTL] [class] type RDATA, TTL and class in either
 * order (RFC 1035 section 5.1). t is its first token. */
static int record(struct parser *p, struct token t, unsigned *line)
{
    struct zone *z = p->z;
    const char *why;
    *line = t.line;
    if (t.at_line_start) {
        if (name_from_text(t.text, t.len, p->have_origin ? &p->origin : NULL, &p->owner, &why) < 0)
            return reason(p, "bad owner '%.*s': %s", (int)t.len, t.text, why);
        if (arena_add(z, p->owner.wire, p->owner.len, &p->owner_off) < 0)
            return reason(p, "out of memory");
        p->have_owner = true;
        t = lex_next(&p->lx);
    } else if (!p->have_owner) {
        return reason(p, "no owner name: the first record must begin in the first column");
    }
    bool have_ttl = false, have_class = false;
    uint32_t ttl = 0;
    for (int i = 0; i < 2 && t.kind == TOK_WORD; i++) {
        if (!have_ttl && t.text[0] >= '0' && t.text[0] <= '9') {
            if (parse_ttl(t.text, t.len, &ttl) < 0)
                return reason(p, "bad TTL '%.*s'", (int)t.len, t.text);
            have_ttl = true;
        } else if (!have_class && word_is(&t, "IN")) {
            have_class = true;
        } else if (word_is(&t, "CH") || word_is(&t, "HS") || word_is(&t, "CS") ||
                   word_is(&t, "ANY") || word_is(&t, "NONE") || is_class_n(&t)) {
            return reason(p, "class %.*s is not supported (only IN)", (int)t.len, t.text);
        } else {
            break;
        }
        t = lex_next(&p->lx);
    }
    if (t.kind == TOK_ERROR)
        return -1;
    if (t.kind != TOK_WORD)
        return reason(p, "missing type");
    int type = type_from_text(t.text, t.len);
    if (type < 0)
        return reason(p, "unknown or unsupported type '%.*s'", (int)t.len, t.text);
    struct rdata_ctx rc = {&p->lx, p->have_origin ? &p->origin : NULL, p->why, sizeof(p->why),
                           t.line};
    int rdlen = rdata_parse(&rc, (uint16_t)type, p->rdata, DNS_MSG_MAX);
    if (rdlen < 0) { /* rdata_parse or the lexer wrote the reason */
        *line = rc.line;
        return -1;
    }
    if (!have_ttl) {
        if (p->have_default_ttl)
            ttl = p->default_ttl;
        else if (p->have_last_ttl)
            ttl = p->last_ttl; /* RFC 1035 section 5.1: the last explicit TTL */
        else if (type == T_SOA)
            ttl = get32(p->rdata + rdlen - 4); /* as BIND does: the SOA MINIMUM */
        else
            return reason(p, "no TTL: give one or set $TTL");
    }
    if (have_ttl || !p->have_default_ttl) {
        p->last_ttl = ttl;
        p->have_last_ttl = true;
    }
    if (z->nrr == 0 && type != T_SOA)
        return reason(p, "the first record must be the zone's SOA");
    if (z->nrr == 0)
        z->apex = p->owner_off;
    else if (!name_is_below(p->owner.wire, zone_name(z, z->apex))) {
        char n[256], a[256];
        name_to_text(p->owner.wire, n, sizeof(n));
        name_to_text(zone_name(z, z->apex), a, sizeof(a));
        return reason(p, "%.200s is outside the zone %.200s", n, a);
    }
    if (z->nrr == z->caprr) {
        size_t cap = z->caprr ? z->caprr * 2 : 256;
        struct zrr *rr = z->nrr >= ZONE_RECORDS_MAX ? NULL : realloc(z->rr, cap * sizeof(*rr));
        if (!rr)
            return reason(p, "too many records");
        z->rr = rr;
        z->caprr = cap;
    }
    struct zrr *r = &z->rr[z->nrr];
    if (arena_add(z, p->rdata, (size_t)rdlen, &r->rdata) < 0)
        return reason(p, "out of memory");
    r->owner = p->owner_off;
    r->rdlen = (uint16_t)rdlen;
    r->type = (uint16_t)type;
    r->ttl = ttl;
    r->line = *line;
    z->nrr++;
    return 0;
}

int zone_parse(struct zone *z, const char *text, size_t len, const char *file, char *err,
               size_t errlen)
{
    struct parser *p = calloc(1, sizeof(*p));
    uint8_t *rdata = malloc(DNS_MSG_MAX);
    memset(z, 0, sizeof(*z));
    z->file = file;
    if (!p || !rdata) {
        free(p);
        free(rdata);
        snprintf(err, errlen, "%s: out of memory", file);
        return -1;
    }
    p->z = z;
    p->rdata = rdata;
    p->have_origin = zone_origin_from_file(file, &p->origin) == 0;
    lex_init(&p->lx, text, len, p->why, sizeof(p->why));
    int rc = 0;
    for (;;) {
        unsigned line;
        p->why[0] = '\0';
        struct token t = lex_next(&p->lx);
        if (t.kind == TOK_EOF)
            break;
        if (t.kind == TOK_EOL)
            continue;
        if (t.kind == TOK_ERROR) {
            rc = fail(p, t.line, err, errlen);
            break;
        }
        if (t.kind == TOK_WORD && t.at_line_start && t.text[0] == '$') {
            if (directive(p, &t) < 0) {
                rc = fail(p, t.line, err, errlen);
                break;
            }
            continue;
        }
        if (record(p, t, &line) < 0) {
            rc = fail(p, line, err, errlen);
            break;
        }
    }
    if (rc == 0 && z->nrr == 0) {
        snprintf(err, errlen, "%s: no records (a zone needs an SOA and NS records)", file);
        rc = -1;
    }
    if (rc == 0) {
        unsigned line = 0;
        if (zone_check(z, p->why, sizeof(p->why), &line) < 0)
            rc = fail(p, line, err, errlen);
    }
    free(rdata);
    free(p);
    if (rc < 0)
        zone_free(z);
    return rc;
}
