/* The rule file parser: one keyword per line, "rule NAME" ... "end" blocks. */
#include "rules.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 1024
#define MAX_TOKENS (CORR_MAX_VALUES + 4)

/* One line cut into words. Quoted words may hold spaces and "#"; quoted
 * is set for them so that a quoted "=" is a value, not an operator. */
struct line {
    char buf[LINE_MAX_LEN];
    char *tok[MAX_TOKENS];
    int quoted[MAX_TOKENS];
    int n;
};

struct parser {
    const char *source;
    int lineno;
    char *err;
    size_t errsize;
};

static int fail(struct parser *p, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (p->errsize)
        snprintf(p->err, p->errsize, "%s:%d: %s", p->source, p->lineno, msg);
    return -1;
}

/* Splits src (one line, without its newline) into l. Operators "=" and
 * "!=" end a bare word so that "a=b" reads like "a = b". */
static int tokenize(struct parser *p, const char *src, size_t len, struct line *l)
{
    if (len >= sizeof(l->buf))
        return fail(p, "line too long (more than %d characters)", LINE_MAX_LEN - 1);
    char *out = l->buf;
    size_t i = 0;
    l->n = 0;
    for (;;) {
        while (i < len && (src[i] == ' ' || src[i] == '\t' || src[i] == '\r'))
            i++;
        if (i == len || src[i] == '#')
            return 0;
        if (l->n == MAX_TOKENS)
            return fail(p, "too many words (at most %d values per line)", CORR_MAX_VALUES);
        l->tok[l->n] = out;
        l->quoted[l->n] = src[i] == '"';
        if (src[i] == '"') {
            for (i++;; i++) {
                if (i == len)
                    return fail(p, "unterminated quoted string");
                if (src[i] == '"')
                    break;
                if (src[i] == '\\' && i + 1 < len && (src[i + 1] == '"' || src[i + 1] == '\\'))
                    i++;
                *out++ = src[i];
            }
            i++;
            if (i < len && src[i] != ' ' && src[i] != '\t' && src[i] != '\r')
                return fail(p, "a quoted string must be followed by a space");
        } else if (src[i] == '=' || (src[i] == '!' && i + 1 < len && src[i + 1] == '=')) {
            if (src[i] == '!')
                *out++ = src[i++];
            *out++ = src[i++];
        } else {
            while (i < len && src[i] != ' ' && src[i] != '\t' && src[i] != '\r' && src[i] != '=' &&
                   !(src[i] == '!' && i + 1 < len && src[i + 1] == '=') && src[i] != '"')
                *out++ = src[i++];
        }
        *out++ = '\0';
        l->n++;
    }
}

int corr_parse_duration(const char *text, int64_t *ms)
{
    static const struct {
        const char *suffix;
        int64_t ms;
    } units[] = {{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
    const char *s = text;
    int64_t n = 0;
    if (*s < '0' || *s > '9')
        return -1;
    for (; *s >= '0' && *s <= '9'; s++) {
        n = n * 10 + (*s - '0');
        if (n > CORR_MAX_DURATION_MS)
            return -1;
    }
    for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
        if (strcmp(s, units[u].suffix) == 0) {
            if (n * units[u].ms > CORR_MAX_DURATION_MS)
                return -1;
            *ms = n * units[u].ms;
            return 0;
        }
    }
    return -1;
}

int corr_parse_severity(const char *text)
{
    /* The numbers Elastic's detection rules give these names. */
    static const struct {
        const char *name;
        int value;
    } names[] = {{"low", 21}, {"medium", 47}, {"high", 73}, {"critical", 99}};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(text, names[i].name) == 0)
            return names[i].value;
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || text[0] < '0' || text[0] > '9' || v < 1 || v > 100)
        return -1;
    return (int)v;
}

static int valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > CORR_NAME_MAX)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

/* ECS names and the odd producer-specific key ("@timestamp"). */
static int valid_field(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > CORR_FIELD_MAX || s[0] == '.' || s[n - 1] == '.' || strstr(s, ".."))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '.' || *s == '@' || *s == '-'))
            return 0;
    return 1;
}

static void free_conds(struct corr_cond *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (size_t v = 0; v < c[i].nvalues; v++)
            free(c[i].values[v]);
}

static void free_rule(struct corr_rule *r)
{
    free(r->description);
    free_conds(r->match, r->nmatch);
    free_conds(r->trigger, r->ntrigger);
}

/* "match FIELD = V [V...]" or "match FIELD != V [V...]". */
static int parse_cond(struct parser *p, const struct line *l, struct corr_cond *c, size_t *n)
{
    const char *kw = l->tok[0];
    if (*n == CORR_MAX_CONDS)
        return fail(p, "too many '%s' lines (at most %d)", kw, CORR_MAX_CONDS);
    if (l->n < 4 || l->quoted[2] || (strcmp(l->tok[2], "=") && strcmp(l->tok[2], "!=")))
        return fail(p, "'%s' needs FIELD = VALUE... or FIELD != VALUE...", kw);
    if (!valid_field(l->tok[1]))
        return fail(p, "bad field name '%s'", l->tok[1]);
    struct corr_cond *cond = &c[*n];
    memset(cond, 0, sizeof(*cond));
    strcpy(cond->field, l->tok[1]);
    cond->op = strcmp(l->tok[2], "=") == 0 ? CORR_EQ : CORR_NE;
    (*n)++; /* counted now so that free_rule frees a half-built line */
    for (int i = 3; i < l->n; i++) {
        if (!l->quoted[i] && (!strcmp(l->tok[i], "=") || !strcmp(l->tok[i], "!=")))
            return fail(p, "a second operator '%s' (quote it to compare with it)", l->tok[i]);
        if (strlen(l->tok[i]) > CORR_VALUE_MAX)
            return fail(p, "value longer than %d characters", CORR_VALUE_MAX);
        if (!(cond->values[cond->nvalues] = strdup(l->tok[i])))
            return fail(p, "out of memory");
        cond->nvalues++;
    }
    return 0;
}

/* seen[] remembers which single-valued keywords a rule already has. */
enum { K_DESCRIPTION, K_GROUP, K_THRESHOLD, K_WINDOW, K_SUPPRESS, K_SEVERITY, K_COUNT };
static const char *const single_kw[K_COUNT] = {"description", "group",    "threshold",
                                               "window",      "suppress", "severity"};

static int parse_setting(struct parser *p, const struct line *l, struct corr_rule *r, int *seen)
{
    const char *kw = l->tok[0];
    if (!strcmp(kw, "match"))
        return parse_cond(p, l, r->match, &r->nmatch);
    if (!strcmp(kw, "trigger"))
        return parse_cond(p, l, r->trigger, &r->ntrigger);
    int k = 0;
    while (k < K_COUNT && strcmp(kw, single_kw[k]))
        k++;
    if (k == K_COUNT)
        return fail(p, "unknown keyword '%s'", kw);
    if (seen[k])
        return fail(p, "'%s' given twice in rule '%s'", kw, r->name);
    seen[k] = 1;
    if (l->n != 2)
        return fail(p, "'%s' takes one value%s", kw, k == K_DESCRIPTION ? " (quote it)" : "");
    const char *v = l->tok[1];
    switch (k) {
    case K_DESCRIPTION:
        if (!(r->description = strdup(v)))
            return fail(p, "out of memory");
        return 0;
    case K_GROUP:
        if (!valid_field(v))
            return fail(p, "bad field name '%s'", v);
        strcpy(r->group, v);
        return 0;
    case K_THRESHOLD: {
        char *end;
        long t = strtol(v, &end, 10);
        if (v[0] < '0' || v[0] > '9' || *end || t < 1 || t > CORR_MAX_THRESHOLD)
            return fail(p, "bad threshold '%s' (a number 1..%d)", v, CORR_MAX_THRESHOLD);
        r->threshold = (unsigned)t;
        return 0;
    }
    case K_WINDOW:
    case K_SUPPRESS:
        if (corr_parse_duration(v, k == K_WINDOW ? &r->window_ms : &r->suppress_ms))
            return fail(p, "bad duration '%s' (e.g. 500ms, 120s, 5m, 1h, 1d; at most 30d)", v);
        return 0;
    default: /* K_SEVERITY */
        if ((r->severity = corr_parse_severity(v)) < 0)
            return fail(p, "bad severity '%s' (low, medium, high, critical or 1..100)", v);
        return 0;
    }
}

/* What "end" checks: the settings a rule cannot do without. */
static int finish_rule(struct parser *p, struct corr_rule *r, const int *seen)
{
    if (r->nmatch == 0)
        return fail(p, "rule '%s' has no 'match' line", r->name);
    if (!seen[K_SEVERITY])
        return fail(p, "rule '%s' has no 'severity'", r->name);
    if (!seen[K_THRESHOLD])
        r->threshold = 1;
    if ((r->threshold > 1 || r->ntrigger) && r->window_ms == 0)
        return fail(p, "rule '%s' needs a 'window' (threshold above 1 or a trigger)", r->name);
    if (!r->description && !(r->description = strdup(r->name)))
        return fail(p, "out of memory");
    return 0;
}

static int add_rule(struct parser *p, struct corr_rules *out, const struct line *l, size_t *cap)
{
    if (l->n != 2 || !valid_name(l->tok[1]))
        return fail(p, "'rule' needs a name of 1..%d characters a-z, 0-9 and _", CORR_NAME_MAX);
    if (corr_rules_find(out, l->tok[1]))
        return fail(p, "rule '%s' defined twice", l->tok[1]);
    if (out->count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        struct corr_rule *n = realloc(out->rule, ncap * sizeof(*n));
        if (!n)
            return fail(p, "out of memory");
        out->rule = n;
        *cap = ncap;
    }
    struct corr_rule *r = &out->rule[out->count++];
    memset(r, 0, sizeof(*r));
    strcpy(r->name, l->tok[1]);
    r->line = p->lineno;
    return 0;
}

int corr_rules_parse(const char *text, const char *source, struct corr_rules *out, char *err,
                     size_t errsize)
{
    struct parser p = {source, 0, err, errsize};
    struct line *l = malloc(sizeof(*l)); /* 1 KiB: kept off small thread stacks */
    struct corr_rule *cur = NULL;
    int seen[K_COUNT] = {0};
    size_t cap = 0;
    int rc = 0;
    out->rule = NULL;
    out->count = 0;
    if (!l)
        return fail(&p, "out of memory");
    for (const char *s = text; *s && rc == 0;) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        p.lineno++;
        rc = tokenize(&p, s, len, l);
        s += len + (nl != NULL);
        if (rc || l->n == 0)
            continue;
        const char *kw = l->tok[0];
        if (!strcmp(kw, "rule")) {
            if (cur)
                rc = fail(&p, "'rule' inside rule '%s' (missing 'end'?)", cur->name);
            else if ((rc = add_rule(&p, out, l, &cap)) == 0) {
                cur = &out->rule[out->count - 1];
                memset(seen, 0, sizeof(seen));
            }
        } else if (!strcmp(kw, "end")) {
            if (!cur)
                rc = fail(&p, "'end' outside a rule");
            else if (l->n != 1)
                rc = fail(&p, "'end' takes no value");
            else if ((rc = finish_rule(&p, cur, seen)) == 0)
                cur = NULL;
        } else if (!cur) {
            rc = fail(&p, "'%s' outside a rule (expected 'rule NAME')", kw);
        } else {
            rc = parse_setting(&p, l, cur, seen);
        }
    }
    if (rc == 0 && cur) {
        p.lineno = cur->line;
        rc = fail(&p, "rule '%s' has no 'end'", cur->name);
    }
    free(l);
    if (rc)
        corr_rules_free(out);
    return rc;
}

void corr_rules_free(struct corr_rules *rules)
{
    for (size_t i = 0; i < rules->count; i++)
        free_rule(&rules->rule[i]);
    free(rules->rule);
    rules->rule = NULL;
    rules->count = 0;
}

const struct corr_rule *corr_rules_find(const struct corr_rules *rules, const char *name)
{
    for (size_t i = 0; i < rules->count; i++)
        if (strcmp(rules->rule[i].name, name) == 0)
            return &rules->rule[i];
    return NULL;
}
