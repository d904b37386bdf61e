/* How the boot-test images report: one console line per check,
 * "IMAGE: PASS name" or "IMAGE: FAIL name: detail", which
 * tests/boot/lib.sh's image_checks turns into test results, and a closing
 * "IMAGE: all passed" or "IMAGE: N failed". An image defines CHECK_IMAGE
 * (its name, the prefix) and includes this once, from main.c. */
#ifndef TESTS_BOOT_APPS_CHECK_H
#define TESTS_BOOT_APPS_CHECK_H

#include <stdarg.h>
#include <stdio.h>

static int failures;

/* Report one check; fmt and what follows say more about it ("%s", "" for
 * nothing). */
__attribute__((format(printf, 3, 4))) static void check(int ok, const char *name, const char *fmt,
                                                        ...)
{
    char detail[200] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    printf(CHECK_IMAGE ": %s %s%s%s\n", ok ? "PASS" : "FAIL", name, *detail ? ": " : "", detail);
    failures += !ok;
}

/* The closing line; main()'s status: 0 when every check held, else 1. */
static int checks_done(void)
{
    if (failures) {
        printf(CHECK_IMAGE ": %d failed\n", failures);
        return 1;
    }
    printf(CHECK_IMAGE ": all passed\n");
    return 0;
}

#endif
