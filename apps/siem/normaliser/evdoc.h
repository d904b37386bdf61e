/* An event document as a list of fields with dotted names, collected in
 * the order they are set and then written as nested JSON in one pass: the
 * same text a cJSON tree built in that order would print, without a node
 * per field. */
#ifndef NORMALISER_EVDOC_H
#define NORMALISER_EVDOC_H

#include <stddef.h>

#include "decoders.h"

/* The fields every event has, plus all a decoder may set. */
#define EVDOC_MAX (32 + SIEM_DECODED_MAX)

enum evdoc_kind {
    EVDOC_TEXT, /* a string: p[0..len), any bytes (jsonw.h repairs them) */
    EVDOC_NUM,  /* a number: num */
    EVDOC_JSON, /* a value already JSON text: p[0..len) */
    EVDOC_TAG,  /* one element of the array at name: p[0..len) as a string */
    EVDOC_GONE, /* (evdoc.c's) a replaced field, kept for where its objects go */
};

struct evdoc_field {
    const char *name; /* dotted path, "log.syslog.appname" */
    size_t nlen;      /* strlen(name) */
    enum evdoc_kind kind;
    const char *p;
    size_t len;
    long long num;
};

/* Names and values are not copied: they must live until evdoc_json. */
struct evdoc {
    int n;
    int full; /* a field did not fit: the document is incomplete */
    struct evdoc_field f[EVDOC_MAX];
};

void evdoc_init(struct evdoc *d);

/* Sets field name, replacing a field of that name (or an object there):
 * the new value goes last among its siblings while the objects around it
 * keep their places, as with cJSON's delete and add. Ignored when a part of name is a field that is
 * not an object
 * ("process.pid.x" when process.pid is a number). EVDOC_TAG fields are
 * added to their array instead. */
void evdoc_set(struct evdoc *d, const char *name, enum evdoc_kind kind, const char *p, size_t len,
               long long num);

/* The document as one line of JSON (malloc'ed, NUL-terminated, *len its
 * length), members in the order they were first set; NULL when memory ran
 * out or a field did not fit. */
char *evdoc_json(const struct evdoc *d, size_t *len);

#endif
