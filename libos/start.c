/* The application's environment: runs in the main thread, prepares libc
 * and the devices the app uses, calls main(argc, argv), and exits with its
 * status. */
#include <stdio.h>
#include <stdlib.h>

#include "internal.h"
#include "serial.h"

#ifndef APP_NAME
#error "APP_NAME must be defined by the build"
#endif

int main(int argc, char **argv);

static void run_constructors(void)
{
    extern void (*__init_array_start[])(void);
    extern void (*__init_array_end[])(void);
    for (void (**f)(void) = __init_array_start; f < __init_array_end; f++)
        (*f)();
}

const struct cmdline *libos_cmdline;

void libos_start(int argc, char **argv, const struct cmdline *cl)
{
    libos_cmdline = cl;
    argv[0] = APP_NAME;
    run_constructors();
    serial_init();
    stats_start(cl); /* stats=SECONDS: one line of resource figures every SECONDS */
    exit(main(argc, argv));
}
