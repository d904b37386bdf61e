/* Checks on what a hardware random instruction returns (hwrng.c). Kept
 * apart from kernel.h so the host unit tests can include it alone. */
#ifndef KERNEL_HWRNG_H
#define KERNEL_HWRNG_H

#include <stdint.h>

#include "param.h"

/* What one execution of RDRAND or RDSEED gave. */
enum hwrng_verdict {
    HWRNG_OK,
    HWRNG_NO_VALUE, /* carry clear: nothing this time, try again */
    HWRNG_ALL_ONES, /* carry set but all ones: a known failure, not a value */
    HWRNG_REPEAT,   /* the value accepted just before: a stuck source */
};

/* A hardware source: insn runs the instruction once and returns its carry
 * flag, the value in *v (arch/x86_64/cpu.h; a fake in the unit tests). */
struct hwrng {
    const char *name;
    int (*insn)(uint64_t *v);
    uint64_t last; /* the last value accepted, valid once primed */
    int primed;
    enum hwrng_verdict why; /* the last rejection */
};

/* The value check, pure: may v, returned with carry, be used after last
 * (valid when primed)? */
enum hwrng_verdict hwrng_check(int carry, uint64_t v, uint64_t last, int primed);

/* One value: up to HWRNG_TRIES executions, skipping any the check rejects.
 * 1 with *out set, or 0 with h->why saying what the last try gave. */
int hwrng_read(struct hwrng *h, uint64_t *out);

/* The boot check: two values in a row, where only an empty carry may be
 * retried; all ones or the same value twice means the source is broken.
 * 1 when healthy; 0 with h->why. */
int hwrng_selftest(struct hwrng *h);

/* A few words for a verdict, for the boot log. */
const char *hwrng_verdict_str(enum hwrng_verdict v);

#endif
