/* The local APIC: software-enabled so MSI and MSI-X messages from PCI
 * devices arrive as interrupts; the 8259 keeps reaching the CPU through
 * LINT0 in virtual-wire mode (Intel SDM vol. 3, 10.4 and 10.5). */
#include "arch.h"

#define REG(off) (*(volatile uint32_t *)(uintptr_t)(LAPIC_BASE + (off)))
#define LAPIC_EOI 0x0b0
#define LAPIC_SVR 0x0f0
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define SVR_ENABLE (1u << 8)
#define SPURIOUS_VECTOR 0xff /* never delivered with an EOI; ignored */

void lapic_init(void)
{
    REG(LAPIC_LVT_LINT0) = 0x700; /* ExtINT: the 8259's interrupts */
    REG(LAPIC_LVT_LINT1) = 0x400; /* NMI */
    REG(LAPIC_SVR) = SVR_ENABLE | SPURIOUS_VECTOR;
}

void lapic_eoi(void)
{
    REG(LAPIC_EOI) = 0;
}
