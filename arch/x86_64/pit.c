/* The 8254 programmable interval timer: channel 0 in one-shot mode drives
 * timer interrupts (IRQ 0), and measures the TSC rate when no CPUID leaf
 * reports it. */
#include "arch.h"
#include "cpu.h"

#define PIT_HZ 1193182ull
#define PIT_CH0 0x40
#define PIT_MODE 0x43

void pit_oneshot_ns(uint64_t ns)
{
    uint64_t ticks = ns * PIT_HZ / 1000000000ull;
    if (ticks < 1)
        ticks = 1;
    if (ticks > 0xffff)
        ticks = 0xffff;
    outb(PIT_MODE, 0x30); /* channel 0, lo/hi byte, mode 0: interrupt on terminal count */
    outb(PIT_CH0, ticks & 0xff);
    outb(PIT_CH0, ticks >> 8);
}

static uint16_t ch0_count(void)
{
    outb(PIT_MODE, 0x00); /* latch channel 0's count */
    uint8_t lo = inb(PIT_CH0);
    return (uint16_t)(lo | inb(PIT_CH0) << 8);
}

/* Count TSC ticks while channel 0 counts down ms milliseconds. Reading the
 * count back works on every machine type; the port 0x61 gate of channel 2
 * does not exist on microvm. */
uint64_t pit_measure_tsc_hz(unsigned ms)
{
    uint16_t want = (uint16_t)(PIT_HZ * ms / 1000);
    outb(PIT_MODE, 0x30); /* channel 0, lo/hi byte, mode 0 */
    outb(PIT_CH0, 0xff);
    outb(PIT_CH0, 0xff);
    uint16_t start = ch0_count(), now;
    uint64_t t0 = rdtsc();
    for (long spins = 0; (uint16_t)(start - (now = ch0_count())) < want; spins++)
        if (spins > 100000000)
            return 0; /* the counter does not move: no PIT */
    uint64_t t1 = rdtsc();
    return (t1 - t0) * PIT_HZ / (uint16_t)(start - now);
}
