/* Decoding one line: the decoders of its program, in file order, each
 * first checked by its leading literal; the first that matches gives the
 * fields. */
#include "decoder_int.h"

#include <string.h>

int dec_program_ok(const struct decoder *d, const char *app, size_t len)
{
    for (int i = 0; i < d->nprog; i++) {
        const char *p = d->prog[i];
        size_t n = strlen(p);
        if (p[0] == '*') {
            if (len >= n - 1 && memcmp(app + len - (n - 1), p + 1, n - 1) == 0)
                return 1;
        } else if (n == len && memcmp(p, app, len) == 0) {
            return 1;
        }
    }
    return 0;
}

void dec_strip(const char **msg, size_t *len)
{
    const char *p = *msg, *end = p + *len;
    /* rsyslog relays an RFC 3164 line with the space after "TAG:" in MSG. */
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    /* Solaris: "[ID 800047 auth.info] " (a message id, facility.level). */
    if (end - p > 4 && memcmp(p, "[ID ", 4) == 0) {
        const char *q = p + 4;
        while (q < end && *q >= '0' && *q <= '9')
            q++;
        if (q < end && *q == ' ' && q > p + 4) {
            q++;
            while (q < end && ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '.'))
                q++;
            if (end - q >= 2 && q[0] == ']' && q[1] == ' ')
                p = q + 2;
        }
    }
    *msg = p;
    *len = (size_t)(end - p);
}

int dec_run(const struct decoder *d, const char *msg, size_t len, struct siem_decoded *out)
{
    const struct dec_pattern *pat = &d->pat;
    const struct dec_item *first = &pat->item[0];
    struct dec_span caps[DEC_SLOTS_MAX];
    if (first->type == DT_LIT && (len < first->len || memcmp(msg, first->lit, first->len) != 0))
        return 0; /* the prefilter: most decoders end here */
    if (!dec_pattern_match(pat, msg, len, caps))
        return 0;
    out->n = 0;
    for (int i = 0; i < d->nset; i++) {
        const struct dec_set *s = &d->set[i];
        for (int a = 0; a < s->nalt; a++) {
            const char *p = s->alt[a].lit;
            size_t n = p ? strlen(p) : 0;
            if (s->alt[a].slot >= 0) {
                p = msg + caps[s->alt[a].slot].off;
                n = caps[s->alt[a].slot].len;
            }
            if (dec_field_valid(s->field, p, n)) {
                struct siem_decoded_field *f = &out->f[out->n++];
                f->name = s->field;
                f->p = p;
                f->len = n;
                break;
            }
        }
    }
    out->decoder = d->name;
    return 1;
}

int siem_decode(const struct siem_decoders *base, const char *app, size_t app_len, const char *msg,
                size_t msg_len, struct siem_decoded *out)
{
    out->decoder = NULL;
    out->n = 0;
    if (!base || !app || !msg)
        return 0;
    dec_strip(&msg, &msg_len);
    const int *list = base->any;
    int n = base->nany, exact = 0;
    for (int i = 0; i < base->nprog; i++)
        if (base->prog[i].len == app_len && memcmp(base->prog[i].name, app, app_len) == 0) {
            list = base->prog[i].list;
            n = base->prog[i].n;
            exact = 1;
            break;
        }
    for (int i = 0; i < n; i++) {
        const struct decoder *d = &base->dec[list[i]];
        if (!exact && !dec_program_ok(d, app, app_len))
            continue;
        if (dec_run(d, msg, msg_len, out))
            return 1;
    }
    out->n = 0;
    return 0;
}

const char *siem_decoded_get(const struct siem_decoded *d, const char *name, size_t *len)
{
    for (int i = 0; i < d->n; i++)
        if (strcmp(d->f[i].name, name) == 0) {
            *len = d->f[i].len;
            return d->f[i].p;
        }
    *len = 0;
    return NULL;
}
