/* Fatal exits an app can take: abort() (also where a failed assert() ends
 * up) and libos_panic(). Both end in the kernel's panic report. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "libos.h"
#include "libos/libos.h"

void abort(void)
{
    fflush(stdout);
    panic("abort() called");
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
