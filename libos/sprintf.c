/* The sprintf family (snprintf, vsnprintf, asprintf, ...) through newlib's
 * one full vfprintf. newlib compiles vfprintf.c twice, once as the stream
 * formatter _vfprintf_r and once as _svfprintf_r for strings, which would put
 * two 14 KiB copies of the same formatter in every image that uses both
 * printf and snprintf. Its string functions all call _svfprintf_r on a FILE
 * that points into the caller's buffer (__SSTR), and the stream formatter
 * writes such a FILE exactly like the string one: through __sfvwrite_r, which
 * copies what fits, pretends to have written the rest (so snprintf returns
 * the length it needed) and grows asprintf's buffer. The Makefile links this
 * file as an object, so its definition is there before the linker looks into
 * libc.a. */
#include <errno.h>
#include <reent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int _svfprintf_r(struct _reent *r, FILE *fp, const char *fmt, va_list ap);

int _svfprintf_r(struct _reent *r, FILE *fp, const char *fmt, va_list ap)
{
    /* The asprintf family starts with no buffer; the string formatter
     * allocates the first one (the stream one would look for a file). */
    if ((fp->_flags & __SMBF) && fp->_bf._base == NULL) {
        fp->_bf._base = fp->_p = _malloc_r(r, 64);
        if (fp->_p == NULL) {
            r->_errno = ENOMEM;
            return EOF;
        }
        fp->_bf._size = 64;
    }
    return _vfprintf_r(r, fp, fmt, ap);
}
