/* I/O APICs: route a global system interrupt (GSI) pin to a vector of its
 * own, level-triggered, to the boot CPU. QEMU microvm wires its virtio-mmio
 * transports to IOAPIC pins (Intel 82093AA datasheet, 3.2.4: the
 * redirection table). */
#include "arch.h"

#define IOREGSEL 0x00
#define IOWIN 0x10
#define IOAPICVER 0x01
#define IOREDTBL(pin) (0x10 + 2 * (pin))
#define RTE_LEVEL (1u << 15)
#define MAX_IOAPICS 2

static struct {
    volatile uint32_t *regs;
    unsigned gsi_base, pins;
} ioapics[MAX_IOAPICS];
static int n_ioapics;

static uint32_t reg_read(volatile uint32_t *regs, uint32_t reg)
{
    regs[IOREGSEL / 4] = reg;
    return regs[IOWIN / 4];
}

static void reg_write(volatile uint32_t *regs, uint32_t reg, uint32_t v)
{
    regs[IOREGSEL / 4] = reg;
    regs[IOWIN / 4] = v;
}

int ioapic_add(uint64_t pa, unsigned gsi_base)
{
    if (n_ioapics == MAX_IOAPICS)
        return -1;
    volatile uint32_t *regs = (volatile uint32_t *)(uintptr_t)pa;
    uint32_t ver = reg_read(regs, IOAPICVER);
    /* No chip there reads as all zeros or all ones. */
    if (ver == 0 || ver == 0xffffffffu)
        return -1;
    ioapics[n_ioapics].regs = regs;
    ioapics[n_ioapics].gsi_base = gsi_base;
    ioapics[n_ioapics].pins = ((ver >> 16) & 0xff) + 1;
    n_ioapics++;
    return 0;
}

static int serving(unsigned gsi)
{
    for (int i = 0; i < n_ioapics; i++)
        if (gsi >= ioapics[i].gsi_base && gsi < ioapics[i].gsi_base + ioapics[i].pins)
            return i;
    return -1;
}

int ioapic_serves(unsigned gsi)
{
    return serving(gsi) >= 0;
}

int ioapic_route(unsigned gsi, irq_handler fn, void *ctx)
{
    int i = serving(gsi);
    uint64_t addr;
    uint32_t data;
    int vector = i < 0 ? -1 : msi_alloc(fn, ctx, &addr, &data);
    if (vector < 0)
        return -1;
    unsigned pin = gsi - ioapics[i].gsi_base;
    /* Destination APIC id 0 (the only CPU) in the high word; fixed
     * delivery, physical mode, active high, level-triggered: a device
     * holds the line until its interrupt status is acknowledged. */
    reg_write(ioapics[i].regs, IOREDTBL(pin) + 1, 0);
    reg_write(ioapics[i].regs, IOREDTBL(pin), (uint32_t)vector | RTE_LEVEL);
    return vector;
}
