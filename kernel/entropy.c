/* Random bytes for the stack canary, getentropy() and the network stack:
 * RDSEED or RDRAND when the CPU has them. Without them (documented in
 * docs/security.md) the fallback mixes TSC readings taken at different
 * moments through splitmix64: unpredictable enough to vary per boot, but
 * not a cryptographic source. */
#include "cpu.h"
#include "kernel.h"

static int have_rdrand = -1;
static uint64_t mix_state;

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

int entropy_is_hardware(void)
{
    if (have_rdrand < 0)
        have_rdrand = arch_has_rdrand();
    return have_rdrand;
}

uint64_t entropy_u64(void)
{
    uint64_t v;
    if (entropy_is_hardware() && rdrand64(&v))
        return v;
    mix_state ^= rdtsc();
    return splitmix64(&mix_state);
}
