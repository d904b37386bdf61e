/* Interrupt dispatch: IRQ vectors go to the handler registered for their
 * line, CPU exceptions to the kernel's fault handler. Runs in interrupt
 * context on an IST stack, with interrupts off. MSI vectors go to the
 * handler msi_alloc() gave them. */
#include "arch.h"

#include <stddef.h>

#include "cpu.h"

#define IRQ_COUNT 16
#define MSI_COUNT (N_VECTORS - MSI_VECTOR_BASE)

static struct {
    irq_handler fn;
    void *ctx;
} irqs[IRQ_COUNT], msis[MSI_COUNT];
static int msi_next;

static void (*fault_handler)(struct trap_frame *f);

void irq_register(int irq, irq_handler fn, void *ctx)
{
    irqs[irq].fn = fn;
    irqs[irq].ctx = ctx;
    pic_unmask(irq);
}

int msi_alloc(irq_handler fn, void *ctx, uint64_t *addr, uint32_t *data)
{
    if (msi_next >= MSI_COUNT)
        return -1;
    int i = msi_next++;
    msis[i].fn = fn;
    msis[i].ctx = ctx;
    *addr = LAPIC_BASE;                      /* destination: APIC id 0, the only CPU */
    *data = (uint32_t)(MSI_VECTOR_BASE + i); /* fixed delivery, edge */
    return MSI_VECTOR_BASE + i;
}

void trap_set_fault_handler(void (*fn)(struct trap_frame *f))
{
    fault_handler = fn;
}

void trap_dispatch(struct trap_frame *f)
{
    if (f->vector >= MSI_VECTOR_BASE && f->vector < N_VECTORS) {
        int i = (int)(f->vector - MSI_VECTOR_BASE);
        if (msis[i].fn)
            msis[i].fn(msis[i].ctx);
        lapic_eoi();
        return;
    }
    if (f->vector >= IRQ_VECTOR_BASE && f->vector < IRQ_VECTOR_BASE + IRQ_COUNT) {
        int irq = (int)(f->vector - IRQ_VECTOR_BASE);
        /* IRQ 7 and 15 fire spuriously on the 8259; only real ones get EOI. */
        if (irqs[irq].fn)
            irqs[irq].fn(irqs[irq].ctx);
        pic_eoi(irq);
        return;
    }
    if (fault_handler)
        fault_handler(f);
    arch_exit(EXIT_FAULT); /* no handler yet: still end the VM, never return to the fault */
}
