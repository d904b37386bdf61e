/* RFC 5424 STRUCTURED-DATA (section 6.3), walked in place: elements, their
 * parameters, and the unescaping of parameter values. */
#ifndef SIEM_SD_H
#define SIEM_SD_H

#include <stddef.h>

/* A slice of a record; p is NULL when the field is absent. */
struct siem_str {
    const char *p;
    size_t len;
};

/* The longest SD-NAME (SD-ID or PARAM-NAME), RFC 5424 6.3.2/6.3.3. */
#define SIEM_SD_NAME_MAX 32

struct siem_sd_cursor {
    const char *p, *end;
};

/* Starts a walk over the text from p to end. */
void siem_sd_begin(struct siem_sd_cursor *c, const char *p, const char *end);

/* The next element "[SD-ID": 1 with *id set, 0 at the end of the text, -1
 * when the text there is not an element. Its parameters must be read with
 * siem_sd_next_param until that returns 0 before the next element. */
int siem_sd_next_element(struct siem_sd_cursor *c, struct siem_str *id);

/* The next ' PARAM-NAME="value"' of the current element: 1 with name and
 * value (still escaped) set, 0 after the element's closing ']', -1 on a
 * syntax error. An unescaped ']' inside the quotes is accepted, since the
 * quotes already delimit the value and some senders do not escape it. */
int siem_sd_next_param(struct siem_sd_cursor *c, struct siem_str *name, struct siem_str *value);

/* Writes value without its escapes (\" \\ \] become " \ ]; a backslash
 * before any other character stays, as 6.3.3 says) to out, which has room
 * for value.len bytes, and returns the new length. */
size_t siem_sd_unescape(struct siem_str value, char *out);

#endif
