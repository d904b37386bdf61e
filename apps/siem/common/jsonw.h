/* A JSON text written straight into a growing buffer, without a tree:
 * strings escaped as cJSON prints them, with bytes that are not UTF-8 (and
 * NUL) replaced by U+FFFD as utf8.h's siem_utf8_dup does. */
#ifndef SIEM_JSONW_H
#define SIEM_JSONW_H

#include <stddef.h>

struct jsonw {
    char *buf; /* malloc'ed, NUL-terminated while len < cap */
    size_t len, cap;
    int oom; /* an allocation failed: everything after it was dropped */
};

/* Starts an empty text with room for about hint bytes. */
void jw_init(struct jsonw *w, size_t hint);
/* Appends p[0..len) as it is (punctuation, or text already JSON). */
void jw_raw(struct jsonw *w, const char *p, size_t len);
/* Appends p[0..len) as a JSON string, quotes included: '"', '\\' and
 * control characters escaped (\b \f \n \r \t, else \u00xx), invalid UTF-8
 * and NUL bytes as U+FFFD, everything else as it is. */
void jw_string(struct jsonw *w, const char *p, size_t len);
/* Appends v in decimal. */
void jw_int(struct jsonw *w, long long v);
/* The text (malloc'ed, NUL-terminated; *len its length if len is not
 * NULL), now the caller's; NULL when memory ran out (nothing to free). */
char *jw_finish(struct jsonw *w, size_t *len);

#endif
