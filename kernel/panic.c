/* Fatal errors: panic(), failed assertions and unhandled CPU exceptions all
 * print what happened and a symbolised backtrace on the console, then end
 * the VM with a status of their own (param.h). */
#include <string.h>

#include "cpu.h"
#include "kernel.h"

/* The symbol table: generated from the first link by tools/ksyms.sh and
 * placed in .ksyms by the second (see linker.ld). Function starts are
 * offsets from __text_start in address order; the names follow one after
 * another, NUL-terminated, in the same order. */
extern const uint32_t ksyms_count;
extern const uint32_t ksyms_offsets[];
extern const char ksyms_names[];

static int dying; /* set once: a fault while reporting a fault just exits */

void kernel_exit(int status)
{
    arch_exit(status);
}

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
    extern char __text_start[], __text_end[];
    if (ksyms_count == 0 || addr < (uintptr_t)__text_start || addr >= (uintptr_t)__text_end)
        return NULL;
    uint64_t rel = addr - (uintptr_t)__text_start;
    uint32_t lo = 0, hi = ksyms_count; /* last symbol starting at or before addr */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ksyms_offsets[mid] <= rel)
            lo = mid;
        else
            hi = mid;
    }
    if (ksyms_offsets[lo] > rel)
        return NULL;
    *offset = rel - ksyms_offsets[lo];
    const char *name = ksyms_names; /* the lo-th name: skip lo of them */
    for (uint32_t i = 0; i < lo; i++)
        name += strlen(name) + 1;
    return name;
}

static void print_frame(int n, uint64_t addr)
{
    uint64_t off = 0;
    const char *name = ksym_lookup(addr, &off);
    if (name)
        kprintf("  #%d 0x%lx %s+0x%lx\n", n, addr, name, off);
    else
        kprintf("  #%d 0x%lx ?\n", n, addr);
}

static int readable(uint64_t va)
{
    return va >= PAGE_SIZE && (va & 7) == 0 && vm_translate(va) != UINT64_MAX &&
           vm_translate(va + 8) != UINT64_MAX;
}

void backtrace_print(uint64_t rbp, uint64_t rip)
{
    kprintf("backtrace:\n");
    int n = 0;
    print_frame(n++, rip);
    /* Frame pointers are kept everywhere: [rbp] = caller's rbp, [rbp+8] =
     * return address. Return addresses point after the call, so look up
     * the byte before to name the calling function. */
    while (n < 24 && readable(rbp)) {
        uint64_t ret = ((uint64_t *)(uintptr_t)rbp)[1];
        if (ret == 0)
            break;
        print_frame(n++, ret - 1);
        rbp = ((uint64_t *)(uintptr_t)rbp)[0];
    }
}

void panic(const char *fmt, ...)
{
    irq_disable();
    if (dying++)
        kernel_exit(EXIT_PANIC);
    va_list ap;
    va_start(ap, fmt);
    kprintf("\npanic: ");
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\nin thread '%s'\n", thread_name(thread_current()));
    /* Start at our caller: its return address, then its caller's frame. */
    uint64_t caller_rbp = ((uint64_t *)(uintptr_t)read_rbp())[0];
    backtrace_print(caller_rbp, (uint64_t)(uintptr_t)__builtin_return_address(0) - 1);
    kernel_exit(EXIT_PANIC);
}

static const char *const exception_names[32] = {
    "#DE divide error",
    "#DB debug",
    "NMI",
    "#BP breakpoint",
    "#OF overflow",
    "#BR bound range",
    "#UD invalid opcode",
    "#NM device not available",
    "#DF double fault",
    "coprocessor overrun",
    "#TS invalid TSS",
    "#NP segment not present",
    "#SS stack fault",
    "#GP general protection",
    "#PF page fault",
    "reserved",
    "#MF x87 error",
    "#AC alignment check",
    "#MC machine check",
    "#XM SIMD error",
    "#VE virtualization",
    "#CP control protection",
};

static void explain_page_fault(uint64_t err, uint64_t addr)
{
    const char *what = (err & 0x10)   ? "instruction fetch from"
                       : (err & 0x02) ? "write to"
                                      : "read from";
    const char *how = (err & 1) ? "protection violation" : "page not mapped";
    /* thread.c knows the guard pages, and whose they are; vm.c the rest. */
    struct thread *owner = thread_by_guard(addr);
    if (owner)
        kprintf("page fault: %s 0x%lx in the stack guard of thread '%s': stack overflow (%s)\n",
                what, addr, thread_name(owner), how);
    else
        kprintf("page fault: %s 0x%lx in %s (%s)\n", what, addr, vm_describe(addr), how);
}

void fault_report(struct trap_frame *f)
{
    if (dying++)
        kernel_exit(EXIT_FAULT);
    const char *name =
        f->vector < 32 && exception_names[f->vector] ? exception_names[f->vector] : "unknown";
    kprintf("\n*** CPU exception %lu (%s), error code 0x%lx, in thread '%s'\n", f->vector, name,
            f->error, thread_name(thread_current()));
    if (f->vector == 14)
        explain_page_fault(f->error, read_cr2());
    kprintf("rip %016lx rsp %016lx rbp %016lx rflags %016lx\n", f->rip, f->rsp, f->rbp, f->rflags);
    kprintf("rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
    kprintf("rsi %016lx rdi %016lx r8  %016lx r9  %016lx\n", f->rsi, f->rdi, f->r8, f->r9);
    kprintf("r10 %016lx r11 %016lx r12 %016lx r13 %016lx\n", f->r10, f->r11, f->r12, f->r13);
    kprintf("r14 %016lx r15 %016lx cs %lx ss %lx\n", f->r14, f->r15, f->cs, f->ss);
    backtrace_print(f->rbp, f->rip);
    kernel_exit(EXIT_FAULT);
}
