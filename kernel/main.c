/* The boot story: from the first C instruction to main() in its own thread. */
#include "cpu.h"
#include "kernel.h"

static struct boot_info boot_info;
static int boot_info_err;
static struct cmdline cmdline;

const struct boot_info *kernel_boot_info(void)
{
    return &boot_info;
}

/* Free RAM for the page allocator: the usable map, minus low memory, the
 * image itself and the boot modules the loader placed in RAM. */
const struct cmdline *kernel_cmdline(void)
{
    return &cmdline;
}

static void pages_setup(const struct boot_info *bi)
{
    pages_init();
    for (uint32_t i = 0; i < bi->n_mem; i++)
        if (bi->mem[i].type == MEM_USABLE)
            pages_add_range(bi->mem[i].base, bi->mem[i].len);
    pages_reserve(0, LOW_MEMORY_LIMIT);
    pages_reserve(kernel_layout()->image_pa, kernel_layout()->image_size);
    for (uint32_t i = 0; i < bi->n_mod; i++)
        pages_reserve(bi->mod[i].start, bi->mod[i].end - bi->mod[i].start);
}

void kernel_read_boot_info(uint32_t loader, uint64_t info_paddr)
{
    const void *info = (const void *)(uintptr_t)info_paddr;
    boot_info_err = loader == LOADER_PVH ? boot_info_from_pvh(&boot_info, info)
                                         : boot_info_from_multiboot2(&boot_info, info);
}

static void lapic_enable(void)
{
    if (vm_map_mmio(LAPIC_BASE, PAGE_SIZE) < 0)
        panic("boot: cannot map the local APIC");
    lapic_init();
}

static void main_thread(void *arg)
{
    (void)arg;
    libos_start(cmdline.argc, cmdline.argv, &cmdline);
}

/* kernel_entry never returns, so the canary changing under it is harmless.
 * It runs at the image's random address: kernel_relocate (aslr.c) moved the
 * image and read the boot information before. */
void kernel_entry(void)
{
    uint64_t boot_tsc = rdtsc();
    stack_protector_init();               /* canary from RDSEED/RDRAND before any check runs */
    uart_init();                          /* console: everything below may print */
    entropy_report();                     /* which source the canary came from */
    arch_cpu_init();                      /* GDT + IST stacks, IDT, PIC, NX/WP checks */
    trap_set_fault_handler(fault_report); /* exceptions report and end the VM */
    if (boot_info_err)                    /* read by kernel_relocate */
        panic("boot: %s", boot_info.cmdline);
    aslr_init();             /* random heap and stack bases */
    aslr_report();           /* where everything is, and how random */
    pages_setup(&boot_info); /* physical page allocator */
    vm_init(&boot_info);     /* final page tables: W^X, first MiB unmapped */
    vm_check_wx();           /* walk them: no page writable and executable */
    lapic_enable();          /* local APIC: MSI/MSI-X from devices */
    clock_init(boot_tsc);    /* TSC rate, RTC, one-shot timer IRQ */
    sched_init();            /* run queue */
    int dropped = cmdline_parse(&cmdline, boot_info.cmdline, "app");
    if (dropped)
        kprintf("boot: %d command-line words beyond the limit of %d were dropped\n", dropped,
                MAX_ARGS);
    if (!thread_create("main", main_thread, NULL, MAIN_STACK_SIZE))
        panic("boot: not enough memory for the main thread");
    sched_start(); /* never returns */
}
