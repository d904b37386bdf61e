/* Arbitrary bytes made into valid UTF-8 text for JSON strings. */
#ifndef SIEM_UTF8_H
#define SIEM_UTF8_H

#include <stddef.h>

/* A malloc'ed, NUL-terminated copy of p[0..len) in which every byte that is
 * not part of a well-formed UTF-8 sequence (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF) and every NUL byte is replaced by
 * U+FFFD, so the text is valid UTF-8 and C-string safe. NULL when out of
 * memory. */
char *siem_utf8_dup(const char *p, size_t len);

/* The length of the well-formed UTF-8 sequence at p (at most len bytes),
 * or 0 when there is none. */
size_t siem_utf8_seq(const unsigned char *p, size_t len);

/* Copies the sequence at p (at most len bytes, len > 0) to out, or U+FFFD
 * (3 bytes) when it is not well formed or is NUL; *used gets the bytes of
 * p taken. Returns the bytes written (at most 4). */
size_t siem_utf8_copy(char *out, const unsigned char *p, size_t len, size_t *used);

#endif
