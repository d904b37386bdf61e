/* Shared by the normaliser's test files: records copied to exact-size heap
 * buffers (no NUL after them, so AddressSanitizer catches any read past the
 * end) and slice comparisons. */
#ifndef NORMALISER_TEST_HELPERS_H
#define NORMALISER_TEST_HELPERS_H

#include <stdlib.h>
#include <string.h>

#include "sd.h"

/* A heap copy of text without its NUL; free() it. */
static inline char *exact(const char *text, size_t len)
{
    char *p = malloc(len ? len : 1);
    if (len)
        memcpy(p, text, len);
    return p;
}

/* 1 when s holds exactly want; want NULL means s must be absent. */
static inline int slice_is(struct siem_str s, const char *want)
{
    if (!want)
        return s.p == NULL;
    return s.p && s.len == strlen(want) && memcmp(s.p, want, s.len) == 0;
}

#define ck_slice(s, want)                                                                          \
    ck_assert_msg(slice_is((s), (want)), "%s: got \"%.*s\"%s, want \"%s\"", #s, (int)(s).len,      \
                  (s).p ? (s).p : "", (s).p ? "" : " (absent)", (want) ? (want) : "(absent)")

#endif
