/* The 8254 programmable interval timer: channel 0 in one-shot mode drives
 * timer interrupts (IRQ 0); channel 2, gated through port 0x61 and polled,
 * measures the TSC rate when no CPUID leaf reports it. */
#include "arch.h"
#include "cpu.h"

#define PIT_HZ 1193182ull
#define PIT_CH0 0x40
#define PIT_CH2 0x42
#define PIT_MODE 0x43
#define PORT_B 0x61

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

uint64_t pit_measure_tsc_hz(unsigned ms)
{
    uint64_t ticks = PIT_HZ * ms / 1000;
    outb(PORT_B, (inb(PORT_B) & ~0x02) | 0x01); /* gate on, speaker off */
    outb(PIT_MODE, 0xb0); /* channel 2, lo/hi byte, mode 0 */
    outb(PIT_CH2, ticks & 0xff);
    outb(PIT_CH2, ticks >> 8);
    uint64_t t0 = rdtsc();
    while (!(inb(PORT_B) & 0x20)) /* OUT2 rises at terminal count */
        cpu_relax();
    uint64_t t1 = rdtsc();
    return (t1 - t0) * 1000 / ms;
}
