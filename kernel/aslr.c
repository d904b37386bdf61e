/* Address-space layout randomisation. The image is linked position-
 * independent at its load address (1 MiB, linker.ld) and, before any code
 * that holds a pointer runs, moves itself to a random page in IMAGE_WINDOW:
 * it maps itself there in the boot page tables and applies its own
 * relocation records (RELR: every pointer stored in the image, each fixed
 * by adding how far the image moved). The heap and the thread-stack area get random bases
 * of their own. "aslr=off" among the kernel options keeps everything at
 * fixed addresses (the image at its link address, for a debugger). */
#include "kernel.h"

#define PTE_P 1ull
#define PTE_W 2ull
#define PTE_ADDR 0x000ffffffffff000ull

/* The packed relative relocations (linker.ld): an even entry is the link
 * address of a 64-bit word to fix; an odd one is a bitmap whose bit i
 * (from bit 1) marks the word i - 1 after the last one fixed, 63 words a
 * bitmap. */
extern const uint64_t __relr_start[], __relr_end[];
extern char __image_start[], __image_end[];
extern uint64_t boot_pml4[512];
extern uint64_t __early_tables[][512], __early_tables_end[][512];

static struct layout layout;
static const char *not_moved; /* why the image stayed put, if it did */

const struct layout *kernel_layout(void)
{
    return &layout;
}

/* A random page-aligned offset below window (a power of two). */
static uint64_t random_offset(uint64_t window)
{
    return (entropy_u64() & (window / PAGE_SIZE - 1)) * PAGE_SIZE;
}

/* Is "aslr=off" one of the kernel options (the words before "--")? */
static int aslr_off_asked(const char *s)
{
    static const char word[] = "aslr=off";
    while (*s) {
        while (*s == ' ' || *s == '\t' || *s == '\n')
            s++;
        const char *w = s;
        while (*s && *s != ' ' && *s != '\t' && *s != '\n')
            s++;
        size_t n = (size_t)(s - w);
        if (n == 2 && w[0] == '-' && w[1] == '-')
            return 0;
        if (n == sizeof(word) - 1 && __builtin_memcmp(w, word, n) == 0)
            return 1;
    }
    return 0;
}

/* The table below entry *e, taken from the early pool if there is none. */
static uint64_t *early_table(uint64_t *e, size_t *used)
{
    if (!(*e & PTE_P)) {
        if (*used == (size_t)(__early_tables_end - __early_tables))
            return NULL;
        *e = (uint64_t)(uintptr_t)__early_tables[(*used)++] | PTE_P | PTE_W; /* .bss: zero */
    }
    return (uint64_t *)(uintptr_t)(*e & PTE_ADDR);
}

/* Map [va, va + size) to [pa, pa + size) in the boot page tables. */
static int map_early(uint64_t va, uint64_t pa, uint64_t size)
{
    size_t used = 0;
    for (uint64_t off = 0; off < size; off += PAGE_SIZE) {
        uint64_t v = va + off;
        uint64_t *pdpt = early_table(&boot_pml4[(v >> 39) & 511], &used);
        uint64_t *pd = pdpt ? early_table(&pdpt[(v >> 30) & 511], &used) : NULL;
        uint64_t *pt = pd ? early_table(&pd[(v >> 21) & 511], &used) : NULL;
        if (!pt)
            return -1;
        pt[(v >> 12) & 511] = (pa + off) | PTE_P | PTE_W;
    }
    return 0;
}

static void relocate(uint64_t delta)
{
    uint64_t *where = NULL;
    for (const uint64_t *r = __relr_start; r < __relr_end; r++) {
        if ((*r & 1) == 0) {
            where = (uint64_t *)(uintptr_t)*r; /* loaded at the link address */
            *where++ += delta;
        } else {
            for (uint64_t bits = *r >> 1, i = 0; bits; bits >>= 1, i++)
                if (bits & 1)
                    where[i] += delta;
            where += 63;
        }
    }
}

/* Runs at the load address on the boot stack, before kernel_entry, and
 * returns how far the image moved. Until it returns, nothing may use a
 * pointer stored in the image (they hold link addresses): only code,
 * RIP-relative references and plain data. */
uint64_t kernel_relocate(uint32_t loader, uint64_t info_paddr)
{
    kernel_read_boot_info(loader, info_paddr);
    uint64_t pa = (uintptr_t)__image_start; /* the load address, also the link address */
    uint64_t size = (uintptr_t)__image_end - pa;
    layout.image_pa = layout.image_va = pa;
    layout.image_size = size;
    if (aslr_off_asked(kernel_boot_info()->cmdline)) {
        not_moved = "aslr=off";
        return 0;
    }
    uint64_t va = IMAGE_AREA + random_offset(IMAGE_WINDOW);
    if (map_early(va, pa, size) < 0) {
        not_moved = "too few early page tables (linker.ld)";
        return 0;
    }
    uint64_t delta = va - pa;
    relocate(delta);
    layout.image_va = va;
    layout.randomised = 1;
    return delta;
}

static int bits(uint64_t window)
{
    return __builtin_ctzl(window / PAGE_SIZE);
}

void aslr_init(void)
{
    layout.heap_base = HEAP_AREA + (layout.randomised ? random_offset(HEAP_WINDOW) : 0);
    layout.stack_area = STACK_AREA + (layout.randomised ? random_offset(STACK_WINDOW) : 0);
}

void aslr_report(void)
{
    if (layout.randomised)
        kprintf("aslr: image at 0x%lx (%d bits), heap at 0x%lx (%d bits), thread stacks at 0x%lx "
                "(%d bits)\n",
                layout.image_va, bits(IMAGE_WINDOW), layout.heap_base, bits(HEAP_WINDOW),
                layout.stack_area, bits(STACK_WINDOW));
    else
        kprintf("aslr: off (%s): image at 0x%lx, heap at 0x%lx, thread stacks at 0x%lx\n",
                not_moved, layout.image_va, layout.heap_base, layout.stack_area);
}
