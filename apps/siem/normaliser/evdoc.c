/* Event fields collected by dotted name, then written nested (evdoc.h). */
#include "evdoc.h"

#include <string.h>

#include "jsonw.h"

void evdoc_init(struct evdoc *d)
{
    d->n = 0;
    d->full = 0;
}

/* 1 when name (nlen bytes) starts with the n bytes of head and ends or
 * goes on with a dot right after them. */
static int under(const char *name, size_t nlen, const char *head, size_t n)
{
    return nlen >= n && memcmp(name, head, n) == 0 && (nlen == n || name[n] == '.');
}

void evdoc_set(struct evdoc *d, const char *name, enum evdoc_kind kind, const char *p, size_t len,
               long long num)
{
    size_t n = strlen(name);
    /* A field that is a proper part of name is a leaf, not an object. */
    for (int i = 0; i < d->n; i++)
        if (d->f[i].nlen < n && d->f[i].kind != EVDOC_GONE &&
            under(name, n, d->f[i].name, d->f[i].nlen))
            return;
    int kept = 0;
    for (int i = 0; i < d->n; i++) {
        struct evdoc_field old = d->f[i];
        int same = old.nlen == n && memcmp(old.name, name, n) == 0;
        if (same && kind == EVDOC_TAG && old.kind == EVDOC_TAG) {
            /* Another element of the array. */
        } else if (same && memchr(name, '.', n)) {
            /* Replaced: its place still says where its objects go. */
            old.kind = EVDOC_GONE;
        } else if (under(old.name, old.nlen, name, n)) {
            /* A top-level field, or an object at name: replaced, gone. */
            continue;
        }
        d->f[kept++] = old;
    }
    d->n = kept;
    if (d->n == EVDOC_MAX) {
        d->full = 1;
        return;
    }
    d->f[d->n++] = (struct evdoc_field){name, n, kind, p, len, num};
}

static void value(struct jsonw *w, const struct evdoc_field *f)
{
    if (f->kind == EVDOC_NUM)
        jw_int(w, f->num);
    else if (f->kind == EVDOC_JSON)
        jw_raw(w, f->p, f->len);
    else
        jw_string(w, f->p, f->len);
}

/* The object of the fields not yet written whose names start with
 * prefix[0..plen) (plen 0: the whole document; else prefix ends with its
 * dot), each key where it first appears; done marks what was written. */
static void object(struct jsonw *w, const struct evdoc *d, unsigned char *done, const char *prefix,
                   size_t plen)
{
    int first = 1;
    jw_raw(w, "{", 1);
    for (int i = 0; i < d->n; i++) {
        const struct evdoc_field *f = &d->f[i];
        if (done[i] || f->nlen <= plen || memcmp(f->name, prefix, plen) != 0)
            continue;
        const char *key = f->name + plen, *dot = memchr(key, '.', f->nlen - plen);
        size_t klen = dot ? (size_t)(dot - key) : f->nlen - plen;
        if (!dot && f->kind == EVDOC_GONE) {
            done[i] = 1;
            continue;
        }
        if (!first)
            jw_raw(w, ",", 1);
        first = 0;
        jw_string(w, key, klen);
        jw_raw(w, ":", 1);
        if (dot) {
            /* Every later field under this key goes in here too. */
            object(w, d, done, f->name, plen + klen + 1);
            continue;
        }
        done[i] = 1;
        if (f->kind != EVDOC_TAG) {
            value(w, f);
            continue;
        }
        jw_raw(w, "[", 1);
        value(w, f);
        for (int j = i + 1; j < d->n; j++) {
            if (d->f[j].kind == EVDOC_TAG && d->f[j].nlen == f->nlen &&
                memcmp(d->f[j].name, f->name, f->nlen) == 0) {
                jw_raw(w, ",", 1);
                value(w, &d->f[j]);
                done[j] = 1;
            }
        }
        jw_raw(w, "]", 1);
    }
    jw_raw(w, "}", 1);
}

char *evdoc_json(const struct evdoc *d, size_t *len)
{
    struct jsonw w;
    unsigned char done[EVDOC_MAX] = {0};
    if (d->full)
        return NULL;
    jw_init(&w, 1024);
    object(&w, d, done, "", 0);
    return jw_finish(&w, len);
}
