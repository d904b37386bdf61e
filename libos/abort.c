/* Fatal exits an app can take: abort(), a failed assert() and
 * libos_panic(). All end in the kernel's panic report. The Makefile links
 * abort and __assert_func from here even when only newlib references them
 * (-u): newlib's own abort would raise SIGABRT and exit with status 1, and
 * its __assert_func prints through fiprintf, a third copy of printf. */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "libos/libos.h"

void abort(void)
{
    fflush(stdout);
    panic("abort() called");
}

/* What a failed assert() calls (newlib's <assert.h>); the message is
 * newlib's. */
void __assert_func(const char *file, int line, const char *func, const char *expr)
{
    fflush(stdout);
    kprintf("assertion \"%s\" failed: file \"%s\", line %d%s%s\n", expr, file, line,
            func ? ", function: " : "", func ? func : "");
    abort();
}

void libos_panic(const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap); /* newlib's formatter: apps expect %f and friends */
    va_end(ap);
    fflush(stdout);
    panic("%s", msg);
}
