/* Interrupt dispatch: IRQ vectors go to the handler registered for their
 * line, CPU exceptions to the kernel's fault handler. Runs in interrupt
 * context on an IST stack, with interrupts off. */
#include "arch.h"

#include <stddef.h>

#include "cpu.h"

#define IRQ_BASE 32
#define IRQ_COUNT 16

static struct {
    irq_handler fn;
    void *ctx;
} irqs[IRQ_COUNT];

static void (*fault_handler)(struct trap_frame *f);

void irq_register(int irq, irq_handler fn, void *ctx)
{
    irqs[irq].fn = fn;
    irqs[irq].ctx = ctx;
    pic_unmask(irq);
}

void trap_set_fault_handler(void (*fn)(struct trap_frame *f))
{
    fault_handler = fn;
}

void trap_dispatch(struct trap_frame *f)
{
    if (f->vector >= IRQ_BASE && f->vector < IRQ_BASE + IRQ_COUNT) {
        int irq = (int)(f->vector - IRQ_BASE);
        /* IRQ 7 and 15 fire spuriously on the 8259; only real ones get EOI. */
        if (irqs[irq].fn)
            irqs[irq].fn(irqs[irq].ctx);
        pic_eoi(irq);
        return;
    }
    if (fault_handler)
        fault_handler(f);
    arch_exit(121); /* no handler yet: still end the VM, never return to the fault */
}
