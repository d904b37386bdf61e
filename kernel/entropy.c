/* Random 64-bit values for the ASLR offsets, the stack canary, the TCP ISN
 * key, lwIP's random numbers and getentropy() (newlib's arc4random() seeds
 * from it). The source is chosen once, at the first draw (the image's
 * offset, before it moves and before the console is up; kernel/aslr.c): RDSEED where the CPU has it
 * (entropy straight from the conditioner, meant for seeds), else RDRAND (a generator reseeded from
 * it), each only after its boot check (hwrng.c). Without either, or with
 * both broken, TSC readings are mixed through splitmix64: different per
 * boot but predictable, so the boot log says so loudly. */
#include "cpu.h"
#include "hwrng.h"
#include "kernel.h"

#define N_HW 2
static struct hwrng hw[N_HW] = {
    {.name = "RDSEED", .insn = rdseed64},
    {.name = "RDRAND", .insn = rdrand64},
};
static int present[N_HW], healthy[N_HW];
static int chosen = -1; /* index into hw; N_HW for the TSC; -1 before the first draw */
static int runtime_failures;
static uint64_t mix_state;

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void choose(void)
{
    present[0] = arch_has_rdseed();
    present[1] = arch_has_rdrand();
    chosen = N_HW;
    for (int i = N_HW - 1; i >= 0; i--) {
        healthy[i] = present[i] && hwrng_selftest(&hw[i]);
        if (healthy[i])
            chosen = i;
    }
}

uint64_t entropy_u64(void)
{
    if (chosen < 0)
        choose();
    /* RDSEED may run dry under load; RDRAND then serves the value. */
    uint64_t v;
    int last = -1;
    for (int i = chosen; i < N_HW; i++) {
        if (healthy[i] && hwrng_read(&hw[i], &v))
            return v;
        if (healthy[i])
            last = i;
    }
    if (last >= 0 && runtime_failures++ == 0)
        kprintf("entropy: WARNING: %s failed at run time (%s); values it cannot give come "
                "from the TSC, which is predictable\n",
                hw[last].name, hwrng_verdict_str(hw[last].why));
    mix_state ^= rdtsc();
    return splitmix64(&mix_state);
}

int entropy_is_hardware(void)
{
    if (chosen < 0)
        choose();
    return chosen < N_HW;
}

void entropy_report(void)
{
    if (chosen < 0)
        choose();
    for (int i = 0; i < N_HW; i++)
        if (present[i] && !healthy[i])
            kprintf("entropy: WARNING: %s is broken (boot check: %s); not used\n", hw[i].name,
                    hwrng_verdict_str(hw[i].why));
    if (chosen < N_HW)
        kprintf("entropy: %s (ASLR offsets, canary, TCP ISN key, getentropy/arc4random)\n",
                hw[chosen].name);
    else
        kprintf("entropy: WARNING: no %sRDRAND/RDSEED: seeding from the TSC, which is "
                "predictable; run QEMU with -cpu max or -cpu host\n",
                present[0] || present[1] ? "working " : "");
}
