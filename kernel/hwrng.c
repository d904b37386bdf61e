/* The checks on RDRAND and RDSEED values, apart from the instructions so
 * the host unit tests can drive them with fake ones. Intel's guidance
 * (Intel DRNG Software Implementation Guide, 5.2.1) is to retry a clear
 * carry a bounded number of times; on top of that, some AMD CPUs return
 * all ones with the carry set after a suspend and resume, and a source
 * that repeats itself is stuck: neither is a random value. */
#include "hwrng.h"

enum hwrng_verdict hwrng_check(int carry, uint64_t v, uint64_t last, int primed)
{
    if (!carry)
        return HWRNG_NO_VALUE;
    if (v == UINT64_MAX)
        return HWRNG_ALL_ONES;
    if (primed && v == last)
        return HWRNG_REPEAT; /* 2^-64 by chance: far likelier a fault */
    return HWRNG_OK;
}

/* Up to HWRNG_TRIES executions; a rejection stops the search when
 * strict and it is not an empty carry. */
static int draw(struct hwrng *h, uint64_t *out, int strict)
{
    for (int i = 0; i < HWRNG_TRIES; i++) {
        uint64_t v = 0;
        int carry = h->insn(&v);
        enum hwrng_verdict r = hwrng_check(carry, v, h->last, h->primed);
        if (r == HWRNG_OK) {
            h->last = v;
            h->primed = 1;
            *out = v;
            return 1;
        }
        h->why = r;
        if (strict && r != HWRNG_NO_VALUE)
            return 0;
    }
    return 0;
}

int hwrng_read(struct hwrng *h, uint64_t *out)
{
    return draw(h, out, 0);
}

int hwrng_selftest(struct hwrng *h)
{
    uint64_t a, b;
    h->primed = 0;
    return draw(h, &a, 1) && draw(h, &b, 1);
}

const char *hwrng_verdict_str(enum hwrng_verdict v)
{
    switch (v) {
    case HWRNG_OK:
        return "a value";
    case HWRNG_NO_VALUE:
        return "no value: carry clear on every try";
    case HWRNG_ALL_ONES:
        return "all ones with the carry set";
    case HWRNG_REPEAT:
        return "the same value twice in a row";
    }
    return "?";
}
