/* Reading a decoder rule base (docs/siem.md, "Writing a decoder"): one
 * keyword and its words per line, a decoder from "decoder NAME" to "end".
 * Builds the per-program index, then runs every example through the whole
 * base: a line an example says a decoder reads must come out of that
 * decoder with exactly the fields it expects. */
#include "decoder_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORDS_MAX 24
#define EXPECT_MAX SIEM_DECODED_MAX

struct example {
    int line, dec, nomatch;
    const char *prog, *msg;
    int nexp;
    const char *field[EXPECT_MAX], *value[EXPECT_MAX];
};

struct loader {
    struct siem_decoders *b;
    const char *file;
    int line;
    char *err;
    size_t errlen;
    struct example *ex;
    int nex;
};

static int fail(struct loader *l, int line, const char *why)
{
    snprintf(l->err, l->errlen, "%s:%d: %s", l->file, line, why);
    return -1;
}

/* Room for element n of an array of elements of size bytes: the capacity
 * doubles (8, 16, 32, ...), so it is reallocated only when n is 0 or a
 * power of two from 8 on, and loading stays linear in the file's size. */
static void *room(void *p, int n, size_t size)
{
    if (n != 0 && (n < 8 || (n & (n - 1)) != 0))
        return p;
    return realloc(p, (n ? (size_t)n * 2 : 8) * size);
}

/* A string the base owns. */
static char *keep(struct loader *l, const char *p, size_t n)
{
    struct siem_decoders *b = l->b;
    char **grown = room(b->strings, b->nstrings, sizeof(*grown));
    char *s = malloc(n + 1);
    if (!grown || !s) {
        if (grown)
            b->strings = grown;
        free(s);
        return NULL;
    }
    b->strings = grown;
    memcpy(s, p, n);
    s[n] = '\0';
    return b->strings[b->nstrings++] = s;
}

/* Splits line[0..len) into words: blanks separate, "..." quotes (with \"
 * and \\) anywhere in a word, # outside quotes starts a comment. */
static int words(struct loader *l, const char *p, size_t len, char **w, const char **why)
{
    const char *end = p + len;
    int n = 0;
    char *buf = malloc(len + 1);
    if (!buf) {
        *why = "out of memory";
        return -1;
    }
    for (;;) {
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
            p++;
        if (p == end || *p == '#')
            break;
        size_t k = 0;
        int quoted = 0;
        while (p < end && (quoted || (*p != ' ' && *p != '\t' && *p != '\r'))) {
            if (*p == '"') {
                quoted = !quoted;
                p++;
            } else if (quoted && *p == '\\' && p + 1 < end && (p[1] == '"' || p[1] == '\\')) {
                buf[k++] = p[1];
                p += 2;
            } else {
                buf[k++] = *p++;
            }
        }
        if (quoted) {
            *why = "a quoted string is not closed";
            n = -1;
            break;
        }
        if (n == WORDS_MAX) {
            *why = "too many words on one line";
            n = -1;
            break;
        }
        if (!(w[n++] = keep(l, buf, k))) {
            *why = "out of memory";
            n = -1;
            break;
        }
    }
    free(buf);
    return n;
}

static int valid_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > DEC_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

static int add_set(struct decoder *d, const char *field, const char **why)
{
    if ((*why = dec_field_refused(field)) != NULL)
        return -1;
    for (int i = 0; i < d->nset; i++)
        if (strcmp(d->set[i].field, field) == 0) {
            *why = "this field is set twice";
            return -1;
        }
    if (d->nset == SIEM_DECODED_MAX) {
        *why = "too many fields (at most 16)";
        return -1;
    }
    struct dec_set *s = &d->set[d->nset++];
    memset(s, 0, sizeof(*s));
    s->field = field;
    return 0;
}

/* "FIELD=VALUE": VALUE a constant, or %a|b|c%, captures tried in order. */
static int set_word(struct decoder *d, char *w, const char **why)
{
    char *eq = strchr(w, '=');
    if (!eq || eq == w || !eq[1]) {
        *why = "set takes FIELD=VALUE words";
        return -1;
    }
    *eq = '\0';
    if (add_set(d, w, why))
        return -1;
    struct dec_set *s = &d->set[d->nset - 1];
    char *v = eq + 1;
    size_t n = strlen(v);
    if (v[0] != '%') {
        s->alt[0].slot = -1;
        s->alt[0].lit = v;
        s->nalt = 1;
        return 0;
    }
    if (n < 3 || v[n - 1] != '%') {
        *why = "a capture value is %NAME% or %NAME|NAME...%";
        return -1;
    }
    v[n - 1] = '\0';
    for (char *a = v + 1, *bar; a; a = bar) {
        if ((bar = strchr(a, '|')) != NULL)
            *bar++ = '\0';
        if (s->nalt == DEC_ALTS_MAX) {
            *why = "at most 4 alternatives";
            return -1;
        }
        int slot = dec_pattern_slot(&d->pat, a);
        if (slot < 0) {
            *why = "no such capture in the pattern (a pattern line comes first)";
            return -1;
        }
        s->alt[s->nalt].slot = slot;
        s->alt[s->nalt++].lit = NULL;
    }
    return 0;
}

static int pattern(struct loader *l, struct decoder *d, const char *text, const char **why)
{
    if (d->pat.n) {
        *why = "a decoder has one pattern";
        return -1;
    }
    if (dec_pattern_compile(&d->pat, text, why))
        return -1;
    /* A placeholder named by a field fills it directly. */
    for (int i = 0; i < d->pat.nslots; i++)
        if (strchr(d->pat.slot[i], '.')) {
            /* A copy: d moves when the decoder array grows. */
            const char *field = keep(l, d->pat.slot[i], strlen(d->pat.slot[i]));
            if (!field) {
                *why = "out of memory";
                return -1;
            }
            if (add_set(d, field, why))
                return -1;
            d->set[d->nset - 1].alt[0].slot = i;
            d->set[d->nset - 1].nalt = 1;
        }
    return 0;
}

static struct example *new_example(struct loader *l, int dec, char **w, int n, const char **why)
{
    if (n != 3) {
        *why = "example and nomatch take PROGRAM \"MESSAGE\"";
        return NULL;
    }
    struct example *grown = room(l->ex, l->nex, sizeof(*grown));
    if (!grown) {
        *why = "out of memory";
        return NULL;
    }
    l->ex = grown;
    struct example *e = &l->ex[l->nex++];
    memset(e, 0, sizeof(*e));
    e->line = l->line;
    e->dec = dec;
    e->prog = w[1];
    e->msg = w[2];
    return e;
}

/* One line inside "decoder ... end". */
static int body(struct loader *l, struct decoder *d, char **w, int n, const char **why)
{
    int di = (int)(d - l->b->dec);
    if (strcmp(w[0], "program") == 0) {
        for (int i = 1; i < n; i++) {
            if (d->nprog == DEC_PROGS_MAX) {
                *why = "at most 16 programs";
                return -1;
            }
            d->prog[d->nprog++] = w[i];
        }
        if (n < 2)
            *why = "program takes one or more names (* for any, *SUFFIX)";
        return n < 2 ? -1 : 0;
    }
    if (strcmp(w[0], "pattern") == 0) {
        if (n != 2) {
            *why = "pattern takes one quoted pattern";
            return -1;
        }
        return pattern(l, d, w[1], why);
    }
    if (strcmp(w[0], "set") == 0) {
        for (int i = 1; i < n; i++)
            if (set_word(d, w[i], why))
                return -1;
        return 0;
    }
    if (strcmp(w[0], "example") == 0 || strcmp(w[0], "nomatch") == 0) {
        struct example *e = new_example(l, di, w, n, why);
        if (e)
            e->nomatch = w[0][0] == 'n';
        return e ? 0 : -1;
    }
    if (strcmp(w[0], "expect") == 0) {
        struct example *e = l->nex ? &l->ex[l->nex - 1] : NULL;
        if (!e || e->dec != di || e->nomatch) {
            *why = "expect follows an example of this decoder";
            return -1;
        }
        for (int i = 1; i < n; i++) {
            char *eq = strchr(w[i], '=');
            if (!eq || e->nexp == EXPECT_MAX) {
                *why = "expect takes FIELD=VALUE words (at most 16)";
                return -1;
            }
            *eq = '\0';
            e->field[e->nexp] = w[i];
            e->value[e->nexp++] = eq + 1;
        }
        return 0;
    }
    *why = "unknown keyword (program, pattern, set, example, expect, nomatch, end)";
    return -1;
}

static int finish(struct loader *l, struct decoder *d)
{
    const char *why = NULL;
    int examples = 0;
    for (int i = 0; i < l->nex; i++)
        examples += l->ex[i].dec == (int)(d - l->b->dec) && !l->ex[i].nomatch;
    if (!d->nprog)
        why = "decoder has no program line";
    else if (!d->pat.n)
        why = "decoder has no pattern line";
    else if (!examples)
        why = "decoder has no example line";
    /* What every event of a decoder says, as constants: siem_recognise()
     * and the event's subject take them as they are. */
    static const char *const fixed[] = {"event.category", "event.type", "event.action",
                                        "event.outcome"};
    for (int k = 0; !why && k < 4; k++) {
        int ok = 0;
        for (int s = 0; s < d->nset; s++)
            ok |= strcmp(d->set[s].field, fixed[k]) == 0 && d->set[s].alt[0].slot < 0;
        if (!ok)
            why = "decoder does not set event.category, event.type, event.action and "
                  "event.outcome to constants";
    }
    for (int i = 0; !why && i < d->pat.nslots; i++) {
        int used = 0;
        for (int s = 0; s < d->nset; s++)
            for (int a = 0; a < d->set[s].nalt; a++)
                used |= d->set[s].alt[a].slot == i;
        if (!used)
            why = "a capture is never used (name it - to discard it)";
    }
    return why ? fail(l, d->line, why) : 0;
}

static int parse(struct loader *l, const char *text, size_t len)
{
    struct siem_decoders *b = l->b;
    struct decoder *d = NULL;
    const char *p = text, *end = text + len;
    char *w[WORDS_MAX];
    for (l->line = 1; p < end; l->line++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)), *why = NULL;
        size_t n = (size_t)((nl ? nl : end) - p);
        int nw = words(l, p, n, w, &why);
        p = nl ? nl + 1 : end;
        if (nw < 0)
            return fail(l, l->line, why);
        if (nw == 0)
            continue;
        if (strcmp(w[0], "decoder") == 0) {
            if (d)
                return fail(l, l->line, "decoder inside a decoder (end is missing)");
            if (nw != 2 || !valid_name(w[1]))
                return fail(l, l->line, "decoder takes a name of 1-48 characters a-z, 0-9, _");
            for (int i = 0; i < b->n; i++)
                if (strcmp(b->dec[i].name, w[1]) == 0)
                    return fail(l, l->line, "a decoder of this name exists already");
            struct decoder *grown = room(b->dec, b->n, sizeof(*grown));
            if (!grown)
                return fail(l, l->line, "out of memory");
            b->dec = grown;
            d = &b->dec[b->n++];
            memset(d, 0, sizeof(*d));
            d->name = w[1];
            d->line = l->line;
        } else if (strcmp(w[0], "end") == 0) {
            if (!d || nw != 1)
                return fail(l, l->line, d ? "end takes nothing" : "end without decoder");
            if (finish(l, d))
                return -1;
            d = NULL;
        } else if (!d) {
            return fail(l, l->line, "expected 'decoder NAME'");
        } else if (body(l, d, w, nw, &why)) {
            return fail(l, l->line, why);
        }
    }
    if (d)
        return fail(l, d->line, "decoder without end");
    return 0;
}

static int *append(int *list, int *n, int v)
{
    int *grown = room(list, *n, sizeof(*grown));
    if (grown)
        grown[(*n)++] = v;
    else
        free(list);
    return grown;
}

/* The exact program names, each with its decoders and those for any
 * program merged in file order; and the list for every other program. */
static int index_programs(struct siem_decoders *b)
{
    for (int i = 0; i < b->n; i++) {
        const struct decoder *d = &b->dec[i];
        int wild = 0;
        for (int k = 0; k < d->nprog; k++) {
            const char *name = d->prog[k];
            if (name[0] == '*') {
                wild = 1;
                continue;
            }
            int known = 0;
            for (int j = 0; j < b->nprog; j++)
                known |= strcmp(b->prog[j].name, name) == 0;
            if (known)
                continue;
            struct dec_prog *grown = room(b->prog, b->nprog, sizeof(*grown));
            if (!grown)
                return -1;
            b->prog = grown;
            b->prog[b->nprog++] = (struct dec_prog){name, strlen(name), NULL, 0};
        }
        if (wild && !(b->any = append(b->any, &b->nany, i)))
            return -1;
    }
    for (int j = 0; j < b->nprog; j++)
        for (int i = 0; i < b->n; i++)
            if (dec_program_ok(&b->dec[i], b->prog[j].name, b->prog[j].len) &&
                !(b->prog[j].list = append(b->prog[j].list, &b->prog[j].n, i)))
                return -1;
    return 0;
}

static int check_example(struct loader *l, const struct example *e)
{
    const struct siem_decoders *b = l->b;
    const struct decoder *d = &b->dec[e->dec];
    struct siem_decoded out;
    char why[160];
    siem_decode(b, e->prog, strlen(e->prog), e->msg, strlen(e->msg), &out);
    if (e->nomatch) {
        if (out.decoder == d->name)
            return fail(l, e->line, "nomatch: the decoder reads this line");
        return 0;
    }
    if (out.decoder != d->name) {
        snprintf(why, sizeof(why), "example: %s",
                 out.decoder ? "read by decoder " : "no decoder reads it");
        if (out.decoder)
            strncat(why, out.decoder, sizeof(why) - strlen(why) - 1);
        return fail(l, e->line, why);
    }
    for (int i = 0; i < e->nexp; i++) {
        size_t n;
        const char *v = siem_decoded_get(&out, e->field[i], &n);
        if (!v || n != strlen(e->value[i]) || memcmp(v, e->value[i], n) != 0) {
            snprintf(why, sizeof(why), "expect: %s is '%.*s', not '%s'", e->field[i],
                     v ? (int)(n > 60 ? 60 : n) : 7, v ? v : "missing", e->value[i]);
            return fail(l, e->line, why);
        }
    }
    /* A field taken from the line (not a constant) must be expected. */
    for (int i = 0; i < out.n; i++) {
        const char *p = out.f[i].p;
        int listed = 0;
        for (int k = 0; k < e->nexp; k++)
            listed |= strcmp(e->field[k], out.f[i].name) == 0;
        if (!listed && p >= e->msg && p <= e->msg + strlen(e->msg)) {
            snprintf(why, sizeof(why), "expect: %s='%.*s' is not listed", out.f[i].name,
                     (int)(out.f[i].len > 60 ? 60 : out.f[i].len), p);
            return fail(l, e->line, why);
        }
    }
    return 0;
}

struct siem_decoders *siem_decoders_load(const char *text, size_t len, const char *file, char *err,
                                         size_t errlen)
{
    struct loader l = {calloc(1, sizeof(struct siem_decoders)), file, 0, err, errlen, NULL, 0};
    int bad = !l.b;
    if (bad)
        snprintf(err, errlen, "%s: out of memory", file);
    if (!bad)
        bad = parse(&l, text, len);
    if (!bad && index_programs(l.b))
        bad = fail(&l, l.line, "out of memory");
    for (int i = 0; !bad && i < l.nex; i++)
        bad = check_example(&l, &l.ex[i]);
    if (!bad && l.b->n == 0)
        bad = fail(&l, l.line, "no decoder in the file");
    if (!bad)
        for (int i = 0; i < l.nex; i++)
            l.b->examples += !l.ex[i].nomatch;
    free(l.ex);
    if (bad) {
        siem_decoders_free(l.b);
        return NULL;
    }
    return l.b;
}

void siem_decoders_free(struct siem_decoders *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->nstrings; i++)
        free(b->strings[i]);
    for (int i = 0; i < b->nprog; i++)
        free(b->prog[i].list);
    free(b->strings);
    free(b->prog);
    free(b->any);
    free(b->dec);
    free(b);
}

int siem_decoders_count(const struct siem_decoders *b, int *examples)
{
    if (examples)
        *examples = b ? b->examples : 0;
    return b ? b->n : 0;
}
