/* Decoder patterns in the style of liblognorm: literal text, typed
 * placeholders %NAME:TYPE% and optional parts %[ ... %], matched against a
 * whole message by trying, for each placeholder, its longest reading first
 * (and an optional part before its absence) and the others when what
 * follows does not match. */
#include "decoder_int.h"

#include <string.h>

#include "ipaddr.h"

static const struct {
    const char *name;
    enum dec_type type;
} types[] = {
    {"word", DT_WORD}, {"text", DT_TEXT},     {"ip", DT_IP},
    {"port", DT_PORT}, {"number", DT_NUMBER}, {"rest", DT_REST},
};

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

int dec_pattern_slot(const struct dec_pattern *p, const char *name)
{
    for (int i = 0; i < p->nslots; i++)
        if (strcmp(p->slot[i], name) == 0)
            return i;
    return -1;
}

static struct dec_item *add(struct dec_pattern *p, const char **why)
{
    if (p->n == DEC_ITEMS_MAX) {
        *why = "too many literals and placeholders (at most 40)";
        return NULL;
    }
    struct dec_item *it = &p->item[p->n++];
    memset(it, 0, sizeof(*it));
    it->slot = -1;
    return it;
}

/* "%NAME:TYPE%" at s (after the first %), up to the closing %. */
static int placeholder(struct dec_pattern *p, const char *s, const char **end, const char **why)
{
    const char *colon = NULL, *e = s;
    while (*e && *e != '%') {
        if (*e == ':' && !colon)
            colon = e;
        e++;
    }
    if (!*e || !colon) {
        *why = "a placeholder is %NAME:TYPE% (a literal % is %%)";
        return -1;
    }
    size_t nlen = (size_t)(colon - s), tlen = (size_t)(e - colon - 1);
    struct dec_item *it = add(p, why);
    if (!it)
        return -1;
    it->type = DT_LIT;
    const char *t = colon + 1;
    int unique = 0; /* TYPE!: kept only when every reading agrees */
    for (; tlen > 0 && (t[tlen - 1] == '?' || t[tlen - 1] == '!'); tlen--) {
        if (t[tlen - 1] == '?')
            it->optional = 1;
        else
            unique = 1;
    }
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (strlen(types[i].name) == tlen && memcmp(types[i].name, t, tlen) == 0)
            it->type = types[i].type;
    if (it->type == DT_LIT) {
        *why = "unknown placeholder type (word, text, ip, port, number, rest)";
        return -1;
    }
    if (it->optional && it->type != DT_WORD && it->type != DT_TEXT) {
        *why = "only word? and text? may be empty";
        return -1;
    }
    if (nlen == 0 || nlen > DEC_NAME_MAX) {
        *why = "a placeholder's name is 1-48 characters, or - to discard";
        return -1;
    }
    for (size_t i = 0; i < nlen; i++)
        if (!name_char(s[i])) {
            *why = "a placeholder's name is a-z, 0-9, _ and . (or -)";
            return -1;
        }
    if (unique && nlen == 1 && s[0] == '-') {
        *why = "a discarded placeholder cannot be TYPE!";
        return -1;
    }
    if (!(nlen == 1 && s[0] == '-')) {
        if (p->nslots == DEC_SLOTS_MAX) {
            *why = "too many captures (at most 16)";
            return -1;
        }
        memcpy(p->slot[p->nslots], s, nlen);
        p->slot[p->nslots][nlen] = '\0';
        if (dec_pattern_slot(p, p->slot[p->nslots]) >= 0) {
            *why = "a capture name is used twice";
            return -1;
        }
        if (unique)
            p->unique |= 1u << p->nslots;
        it->slot = p->nslots++;
    }
    *end = e + 1;
    return 0;
}

/* "%[" opens an optional part, "%]" closes the innermost one open. */
static int bracket(struct dec_pattern *p, char c, int *open, int *depth, const char **why)
{
    struct dec_item *it = add(p, why);
    if (!it)
        return -1;
    it->type = c == '[' ? DT_OPEN : DT_CLOSE;
    if (c == '[') {
        open[(*depth)++] = p->n - 1;
        return 0;
    }
    if (*depth == 0) {
        *why = "%] without %[";
        return -1;
    }
    int o = open[--*depth];
    if (o == p->n - 2) {
        *why = "an empty optional part %[%]";
        return -1;
    }
    p->item[o].close = p->n - 1;
    return 0;
}

int dec_pattern_compile(struct dec_pattern *p, const char *text, const char **why)
{
    memset(p, 0, sizeof(*p));
    const char *s = text;
    int open[DEC_ITEMS_MAX], depth = 0;
    while (*s) {
        if (s[0] == '%' && (s[1] == '[' || s[1] == ']')) {
            if (bracket(p, s[1], open, &depth, why))
                return -1;
            s += 2;
            continue;
        }
        if (s[0] == '%' && s[1] != '%') {
            if (placeholder(p, s + 1, &s, why))
                return -1;
            continue;
        }
        /* A literal runs to the next placeholder; %% is one %, kept by
         * ending the literal after the first % and skipping the second. */
        struct dec_item *it = add(p, why);
        if (!it)
            return -1;
        it->lit = s;
        if (s[0] == '%') {
            it->len = 1;
            s += 2;
        } else {
            while (*s && *s != '%')
                s++;
            it->len = (size_t)(s - it->lit);
        }
    }
    if (p->n == 0) {
        *why = "empty pattern";
        return -1;
    }
    if (depth) {
        *why = "%[ without %]";
        return -1;
    }
    for (int i = 0; i < p->n; i++) {
        enum dec_type t = p->item[i].type, next = i + 1 < p->n ? p->item[i + 1].type : DT_LIT;
        if (t == DT_REST && i + 1 != p->n) {
            *why = "%rest% must end the pattern";
            return -1;
        }
        /* text ends where a literal (or the line) does: two placeholders
         * in a row would have no boundary. */
        if (t == DT_TEXT && next != DT_LIT) {
            *why = "a text placeholder must be followed by literal text or the end";
            return -1;
        }
    }
    return 0;
}

struct run {
    const struct dec_pattern *p;
    const char *s;
    size_t len;
    struct dec_span *caps; /* the captures of the reading being tried */
    int budget;
    /* Patterns with TYPE! captures look for every reading: */
    int found;                            /* a first reading was found */
    struct dec_span first[DEC_SLOTS_MAX]; /* its captures */
    unsigned differ;                      /* TYPE! captures another reading changes */
};

static int match(struct run *r, int i, size_t pos);

/* Sets the capture of item i and matches the rest after it; the capture
 * is undone when that fails, so caps always hold the current reading. */
static int then(struct run *r, int i, size_t pos, size_t n)
{
    int slot = r->p->item[i].slot;
    struct dec_span old = {0, 0};
    if (slot >= 0) {
        old = r->caps[slot];
        r->caps[slot] = (struct dec_span){pos, n};
    }
    if (match(r, i + 1, pos + n))
        return 1;
    if (slot >= 0)
        r->caps[slot] = old;
    return 0;
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A whole reading of the line. Without TYPE! captures the first is the
 * one. Otherwise the first is kept and the search goes on (returning 0)
 * to find the TYPE! captures another reading gives other text; it stops
 * once all of them differ. */
static int reading(struct run *r)
{
    const struct dec_pattern *p = r->p;
    if (!p->unique)
        return 1;
    if (!r->found) {
        memcpy(r->first, r->caps, sizeof(r->first));
        r->found = 1;
        return 0;
    }
    for (int s = 0; s < p->nslots; s++) {
        const struct dec_span *a = &r->first[s], *b = &r->caps[s];
        if ((p->unique >> s & 1) &&
            (a->len != b->len || memcmp(r->s + a->off, r->s + b->off, a->len) != 0))
            r->differ |= 1u << s;
    }
    return r->differ == p->unique;
}

static int match(struct run *r, int i, size_t pos)
{
    if (--r->budget < 0)
        return 0;
    if (i == r->p->n)
        return pos == r->len && reading(r);
    const struct dec_item *it = &r->p->item[i];
    const char *s = r->s + pos;
    size_t rem = r->len - pos, n = 0;
    switch (it->type) {
    case DT_OPEN: /* with the optional part, then without it */
        return match(r, i + 1, pos) || (r->budget >= 0 && match(r, it->close + 1, pos));
    case DT_CLOSE:
        return match(r, i + 1, pos);
    case DT_LIT:
        return rem >= it->len && memcmp(s, it->lit, it->len) == 0 && match(r, i + 1, pos + it->len);
    case DT_REST:
        return then(r, i, pos, rem);
    case DT_PORT:
    case DT_NUMBER: {
        size_t max = it->type == DT_PORT ? 5 : 18;
        long long v = 0;
        while (n < rem && s[n] >= '0' && s[n] <= '9')
            n++;
        if (n == 0 || n > max) /* more digits would overflow v */
            return 0;
        for (size_t k = 0; k < n; k++)
            v = v * 10 + (s[k] - '0');
        if (it->type == DT_PORT && (v < 1 || v > 65535))
            return 0;
        return then(r, i, pos, n);
    }
    case DT_IP:
        while (n < rem && n < SIEM_IP_MAX && (is_hex(s[n]) || s[n] == '.' || s[n] == ':'))
            n++;
        for (; n > 0; n--)
            if (siem_ip_valid(s, n) && then(r, i, pos, n))
                return 1;
        return 0;
    case DT_WORD:
    case DT_TEXT:
        if (it->type == DT_WORD)
            while (n < rem && s[n] != ' ')
                n++;
        else
            n = rem;
        /* Longest first: the last place where what follows matches. A
         * following literal is checked by its first byte before recursing. */
        for (size_t k = n + 1; k-- > (size_t)!it->optional;) {
            const struct dec_item *next = i + 1 < r->p->n ? &r->p->item[i + 1] : NULL;
            if (next && next->type == DT_LIT && (k == rem || s[k] != next->lit[0]))
                continue;
            if (!next && k != rem)
                return 0;
            if (then(r, i, pos, k))
                return 1;
            if (r->budget < 0)
                return 0;
        }
        return 0;
    }
    return 0;
}

int dec_pattern_match(const struct dec_pattern *p, const char *s, size_t len, struct dec_span *caps)
{
    struct run r = {p, s, len, caps, DEC_BUDGET, 0, {{0, 0}}, 0};
    for (int i = 0; i < p->nslots; i++)
        caps[i].off = caps[i].len = 0;
    int ok = match(&r, 0, 0);
    if (!p->unique)
        return ok;
    if (!r.found)
        return 0;
    /* A search cut short by the budget may have missed a reading. */
    if (r.budget < 0)
        r.differ = p->unique;
    memcpy(caps, r.first, sizeof(r.first));
    for (int i = 0; i < p->nslots; i++)
        if (r.differ >> i & 1)
            caps[i].len = 0; /* an empty capture gives no field */
    return 1;
}
