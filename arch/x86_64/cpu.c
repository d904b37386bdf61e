/* CPU setup: the final GDT with a TSS whose IST stacks take every interrupt,
 * the IDT, the 8259 PIC, checks for the features the kernel relies on, and
 * the way out of the VM (QEMU's isa-debug-exit device). */
#include "arch.h"

#include <stddef.h>
#include <string.h>

#include "cpu.h"

struct tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));
_Static_assert(sizeof(struct tss) == 104, "Intel SDM 8.7: 64-bit TSS");

struct idt_entry {
    uint16_t off_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type;
    uint16_t off_mid;
    uint32_t off_hi;
    uint32_t reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_entry) == 16, "64-bit interrupt gate");

struct table_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

/* IST slots: 1 interrupts and most exceptions, 2 page faults (a thread that
 * overflows into its guard page has no stack left), 3 double fault and NMI. */
enum { IST_IRQ = 1, IST_PF = 2, IST_DF = 3, N_IST = 3 };
#define IST_STACK_SIZE 8192 /* bytes per interrupt stack */

static uint64_t gdt[5] __attribute__((aligned(16)));
static struct tss tss __attribute__((aligned(16)));
static struct idt_entry idt[N_VECTORS] __attribute__((aligned(16)));
static uint8_t ist_stacks[N_IST][IST_STACK_SIZE] __attribute__((aligned(16)));
extern const uint64_t isr_table[N_VECTORS];

static void gdt_init(void)
{
    gdt[0] = 0;
    gdt[1] = 0x00af9a000000ffffull; /* 0x08: 64-bit kernel code */
    gdt[2] = 0x00cf92000000ffffull; /* 0x10: kernel data */
    uint64_t base = (uint64_t)(uintptr_t)&tss, limit = sizeof(tss) - 1;
    gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
             (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    gdt[4] = base >> 32; /* 0x18: TSS, 16 bytes */

    for (int i = 0; i < N_IST; i++)
        tss.ist[i] = (uint64_t)(uintptr_t)(ist_stacks[i] + IST_STACK_SIZE);
    tss.iomap_base = sizeof(tss);

    struct table_ptr p = {sizeof(gdt) - 1, (uint64_t)(uintptr_t)gdt};
    __asm__ volatile("lgdt %0\n\t"
                     "mov $0x10, %%ax\n\t"
                     "mov %%ax, %%ds\n\t"
                     "mov %%ax, %%es\n\t"
                     "mov %%ax, %%ss\n\t"
                     "pushq $0x08\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "mov $0x18, %%ax\n\t"
                     "ltr %%ax"
                     :
                     : "m"(p)
                     : "rax", "memory");
}

static void idt_init(void)
{
    for (int v = 0; v < N_VECTORS; v++) {
        uint64_t off = isr_table[v];
        int ist = v == 14 ? IST_PF : (v == 8 || v == 2) ? IST_DF : IST_IRQ;
        idt[v] = (struct idt_entry){
            .off_lo = off & 0xffff,
            .selector = 0x08,
            .ist = ist,
            .type = 0x8e, /* present, interrupt gate: IF cleared */
            .off_mid = (off >> 16) & 0xffff,
            .off_hi = off >> 32,
        };
    }
    struct table_ptr p = {sizeof(idt) - 1, (uint64_t)(uintptr_t)idt};
    __asm__ volatile("lidt %0" : : "m"(p));
}

static void require(int ok, const char *what)
{
    if (ok)
        return;
    for (const char *s = "cpu: missing required feature: "; *s; s++)
        uart_putc(*s);
    for (; *what; what++)
        uart_putc(*what);
    uart_putc('\n');
    arch_exit(EXIT_FAULT);
}

void arch_cpu_init(void)
{
    uint32_t r[4];
    cpuid(0x80000001, 0, r);
    require(r[3] & (1u << 20), "NX (no-execute pages)");
    require(rdmsr(MSR_EFER) & EFER_NXE, "EFER.NXE set by boot");
    require(read_cr0() & CR0_WP, "CR0.WP set by boot");
    gdt_init();
    idt_init();
    pic_init();
}

/* CPUID.01H:ECX bit 30 (Intel SDM vol. 2A, CPUID). */
int arch_has_rdrand(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    return (r[2] >> 30) & 1;
}

/* CPUID.(EAX=07H,ECX=0):EBX bit 18; leaf 7 exists only when leaf 0
 * reports it as the highest or below. */
int arch_has_rdseed(void)
{
    uint32_t r[4];
    cpuid(0, 0, r);
    if (r[0] < 7)
        return 0;
    cpuid(7, 0, r);
    return (r[1] >> 18) & 1;
}

void arch_exit(int status)
{
    irq_disable();
    /* isa-debug-exit at 0xf4: QEMU exits with (byte << 1) | 1. Writing
     * status + 1 keeps QEMU's own failure status (1) distinct from ours. */
    outb(0xf4, (uint8_t)(status + 1));
    /* No such device (Firecracker): the i8042 reset command, which
     * Firecracker takes as the guest's exit; then a triple fault, which
     * QEMU's -no-reboot turns into an exit. Either way the status is lost. */
    outb(0x64, 0xfe);
    struct table_ptr none = {0, 0};
    __asm__ volatile("lidt %0; int3" : : "m"(none));
    for (;;)
        halt();
}
