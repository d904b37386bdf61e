/* The architecture layer's interface to the kernel, grouped by the file that
 * defines each function. The Makefile picks the architecture folder. */
#ifndef ARCH_X86_64_ARCH_H
#define ARCH_X86_64_ARCH_H

#include <stdint.h>

/* trap.c: the register state an exception or interrupt stub saved. */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector, error;
    uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "matches isr.S push order");

/* Vectors: 0-31 CPU exceptions, 32-47 the 8259's IRQ 0-15, 48-63 MSI and
 * IOAPIC-routed lines (both end with an EOI at the local APIC). */
#define IRQ_VECTOR_BASE 32
#define MSI_VECTOR_BASE 48
#define N_VECTORS 64

typedef void (*irq_handler)(void *ctx);
/* Run fn(ctx) in interrupt context when legacy IRQ line irq (0-15) fires. */
void irq_register(int irq, irq_handler fn, void *ctx);
/* Called for CPU exceptions the kernel does not handle: prints and exits. */
void trap_dispatch(struct trap_frame *f);
void trap_set_fault_handler(void (*fn)(struct trap_frame *f));

/* cpu.c */
void arch_cpu_init(void); /* GDT, TSS + IST stacks, IDT, PIC, NX/WP check */
void arch_exit(int status) __attribute__((noreturn));
int arch_has_rdrand(void); /* the CPU has RDRAND */
int arch_has_rdseed(void); /* the CPU has RDSEED */

/* Exit statuses, arch_exit()'s argument (the byte written to QEMU's
 * isa-debug-exit device), kept here with their first user. An app's own
 * status passes through unchanged when below EXIT_APP_MAX. */
#define EXIT_APP_MAX 119     /* larger app statuses are reported as this */
#define EXIT_PANIC 120       /* panic() or a failed assert() */
#define EXIT_FAULT 121       /* an unhandled CPU exception */
#define EXIT_STACK_SMASH 122 /* the stack protector found a smashed canary */
#define EXIT_OOM 123         /* out of memory where failing is not an option */

/* uart.c: COM1, polled output; the console of last resort */
void uart_init(void);
void uart_putc(char c);
int uart_getc_nowait(void); /* -1 when no byte is waiting */

/* lapic.c: the local APIC, which receives MSI/MSI-X messages */
#define LAPIC_BASE 0xfee00000ul
/* Enable the local APIC; its registers must already be mapped at LAPIC_BASE. */
void lapic_init(void);
/* Reserve an MSI vector that runs fn(ctx); fills in the message a device
 * writes to raise it. Returns the vector, or -1 when none is left. */
int msi_alloc(irq_handler fn, void *ctx, uint64_t *addr, uint32_t *data);
void lapic_eoi(void);

/* ioapic.c: I/O APICs, for devices wired to GSI pins (QEMU microvm) */
#define IOAPIC_BASE 0xfec00000ul /* the first one, GSIs from 0 */
/* Register the IOAPIC at pa (mapped already) serving GSIs from gsi_base.
 * 0, or -1 when no IOAPIC answers there (or the table is full). */
int ioapic_add(uint64_t pa, unsigned gsi_base);
/* Route GSI gsi, level-triggered, to a fresh vector that runs fn(ctx) in
 * interrupt context and is acknowledged at the local APIC. Returns the
 * vector, or -1 (no IOAPIC serves gsi, or no vector is left). */
int ioapic_route(unsigned gsi, irq_handler fn, void *ctx);
int ioapic_serves(unsigned gsi); /* a registered IOAPIC has this pin */

/* pic.c: the 8259 pair, remapped to vectors 32-47 */
void pic_init(void);
void pic_unmask(int irq);
void pic_eoi(int irq);

/* pit.c: the 8254 timer: one-shot interrupts and TSC calibration */
void pit_oneshot_ns(uint64_t ns); /* IRQ 0 after about ns (capped ~54 ms) */
#define PIT_MAX_NS 54000000ull    /* the longest one-shot: 65535 ticks at 1.193182 MHz */
uint64_t pit_measure_tsc_hz(unsigned ms);

/* tsc.c */
uint64_t tsc_hz_from_cpuid(void); /* 0 when no CPUID leaf reports it */

/* rtc.c: CMOS real-time clock, read once at boot */
int64_t rtc_read_epoch(void); /* seconds since 1970, -1 on failure */

/* switch.S: cooperative context switch. Everything a switch saves is kept
 * here, in the thread's record, not on its stack: the callee-saved
 * registers, the stack pointer and the address to resume at. */
struct arch_context {
    uint64_t rsp, rip;
    uint64_t rbx, rbp, r12, r13, r14, r15;
    uint32_t mxcsr; /* SSE control bits */
    uint16_t fcw;   /* x87 control word */
};
/* Save the caller's state into *from and resume *to. */
void arch_switch(struct arch_context *from, struct arch_context *to);
/* Make ctx start a thread on the empty stack that ends at stack_top:
 * switching to it calls entry(arg). Writes nothing to the stack. */
void arch_context_init(struct arch_context *ctx, uint64_t stack_top, void (*entry)(void *),
                       void *arg);

#endif
