/* Page tables. Usable RAM from 1 MiB up is identity-mapped read-write and
 * never executable, except the image's own pages: they are mapped only where
 * the image runs (kernel/aslr.c), page by page with W^X (.text R-X, .rodata
 * R, .data/.bss RW), so no alias at a known address reaches them. The first
 * MiB stays unmapped: nothing there is used after boot (the loader's
 * structures were copied by then), so NULL plus any offset below 1 MiB
 * faults. The heap and thread stacks live above the identity map (param.h). */
#include <errno.h>
#include <string.h>

#include "cpu.h"
#include "kernel.h"

#define PTE_P (1ull << 0)
#define PTE_W (1ull << 1)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_PS (1ull << 7)
#define PTE_NX (1ull << 63)
#define PTE_ADDR 0x000ffffffffff000ull
#define HUGE 0x200000ull

extern char __image_start[], __text_end[], __rodata_end[], __image_end[];

static uint64_t *pml4;

/* A cleared page-table page, or NULL when memory is exhausted: running out
 * while mapping fails that request (-ENOMEM), it does not stop the VM. */
static uint64_t *table_new(void)
{
    uint64_t pa = page_alloc();
    if (!pa)
        return NULL;
    memset((void *)(uintptr_t)pa, 0, PAGE_SIZE);
    return (uint64_t *)(uintptr_t)pa;
}

/* The entry for va at the given level (4 = PML4 ... 1 = page table),
 * creating intermediate tables when create is set; NULL if absent, or if
 * a table could not be allocated. Tables made before a failure stay: they
 * are empty and serve the next request. */
static uint64_t *walk(uint64_t va, int level, int create)
{
    uint64_t *table = pml4;
    for (int l = 4; l > level; l--) {
        uint64_t *e = &table[(va >> (12 + 9 * (l - 1))) & 511];
        if (!(*e & PTE_P)) {
            uint64_t *t = create ? table_new() : NULL;
            if (!t)
                return NULL;
            /* Intermediate entries allow everything; leaves decide. */
            *e = (uint64_t)(uintptr_t)t | PTE_P | PTE_W;
        } else if (*e & PTE_PS) {
            return create ? NULL : e; /* a huge page already covers va */
        }
        table = (uint64_t *)(uintptr_t)(*e & PTE_ADDR);
    }
    return &table[(va >> (12 + 9 * (level - 1))) & 511];
}

static uint64_t leaf_bits(unsigned flags)
{
    uint64_t bits = PTE_P;
    if (flags & VM_WRITE)
        bits |= PTE_W;
    if (!(flags & VM_EXEC))
        bits |= PTE_NX;
    if (flags & VM_UNCACHED)
        bits |= PTE_PCD | PTE_PWT;
    return bits;
}

int vm_map_page(uint64_t va, uint64_t pa, unsigned flags)
{
    uint64_t *e = walk(va, 1, 1);
    if (!e)
        return -ENOMEM;
    *e = (pa & PTE_ADDR) | leaf_bits(flags);
    invlpg(va);
    return 0;
}

void vm_unmap_page(uint64_t va)
{
    uint64_t *e = walk(va, 1, 0);
    if (e && !(*e & PTE_PS)) {
        *e = 0;
        invlpg(va);
    }
}

uint64_t vm_translate(uint64_t va)
{
    uint64_t *table = pml4;
    for (int l = 4; l >= 1; l--) {
        int shift = 12 + 9 * (l - 1);
        uint64_t e = table[(va >> shift) & 511];
        if (!(e & PTE_P))
            return UINT64_MAX;
        if (l == 1 || (e & PTE_PS))
            return (e & PTE_ADDR & ~((1ull << shift) - 1)) | (va & ((1ull << shift) - 1));
        table = (uint64_t *)(uintptr_t)(e & PTE_ADDR);
    }
    return UINT64_MAX;
}

int vm_writable(uint64_t va, uint64_t len)
{
    if (len == 0)
        return 1;
    if (va + len < va)
        return 0; /* wraps: not a range at all */
    for (uint64_t p = va & ~(PAGE_SIZE - 1); p < va + len; p += PAGE_SIZE) {
        uint64_t *table = pml4;
        for (int l = 4; l >= 1; l--) {
            uint64_t e = table[(p >> (12 + 9 * (l - 1))) & 511];
            if ((e & (PTE_P | PTE_W)) != (PTE_P | PTE_W))
                return 0; /* a write here would fault, or no entry at all */
            if (l == 1 || (e & PTE_PS))
                break;
            table = (uint64_t *)(uintptr_t)(e & PTE_ADDR);
        }
    }
    return 1;
}

int vm_map_mmio(uint64_t pa, uint64_t len)
{
    for (uint64_t p = pa & ~(PAGE_SIZE - 1); p < pa + len; p += PAGE_SIZE)
        if (vm_map_page(p, p, VM_WRITE | VM_UNCACHED) < 0)
            return -ENOMEM;
    return 0;
}

/* Identity-map RAM [base, end) read-write, no-execute, leaving out what
 * lies below LOW_MEMORY_LIMIT and the image's physical pages: 2 MiB pages
 * where a whole aligned 2 MiB fits and does not touch the image, 4 KiB
 * elsewhere. */
static void map_ram(uint64_t base, uint64_t end)
{
    const struct layout *l = kernel_layout();
    uint64_t img_lo = l->image_pa, img_hi = l->image_pa + l->image_size;
    if (base < LOW_MEMORY_LIMIT)
        base = LOW_MEMORY_LIMIT;
    uint64_t va = (base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    while (va + PAGE_SIZE <= end) {
        int huge_ok = (va & (HUGE - 1)) == 0 && va + HUGE <= end &&
                      (va + HUGE <= (img_lo & ~(HUGE - 1)) || va >= img_hi);
        if (huge_ok) {
            uint64_t *e = walk(va, 2, 1);
            if (!e)
                panic("vm: out of memory for the page tables of RAM");
            *e = va | PTE_P | PTE_W | PTE_PS | PTE_NX;
            va += HUGE;
        } else {
            int in_image = va >= img_lo && va < img_hi;
            if (!in_image && vm_map_page(va, va, VM_WRITE) < 0)
                panic("vm: out of memory mapping RAM");
            va += PAGE_SIZE;
        }
    }
}

/* Map the image's pages [lo, hi) (virtual, where it runs) with flags. */
static void map_image(uint64_t lo, uint64_t hi, unsigned flags)
{
    const struct layout *l = kernel_layout();
    for (uint64_t va = lo; va < hi; va += PAGE_SIZE)
        if (vm_map_page(va, va - l->image_va + l->image_pa, flags) < 0)
            panic("vm: out of memory mapping the image");
}

void vm_init(const struct boot_info *bi)
{
    pml4 = table_new();
    if (!pml4)
        panic("vm: no memory for the first page table");
    for (uint32_t i = 0; i < bi->n_mem; i++)
        if (bi->mem[i].type == MEM_USABLE)
            map_ram(bi->mem[i].base, bi->mem[i].base + bi->mem[i].len);

    /* A boot module is the one thing the kernel hands on from below 1 MiB,
     * should a loader put one there (neither QEMU nor GRUB does): those
     * pages alone are mapped, read-only, like the module's contract. */
    for (uint32_t i = 0; i < bi->n_mod; i++)
        for (uint64_t va = bi->mod[i].start & ~(PAGE_SIZE - 1);
             va < bi->mod[i].end && va < LOW_MEMORY_LIMIT; va += PAGE_SIZE)
            if (va >= PAGE_SIZE && vm_map_page(va, va, 0) < 0)
                panic("vm: out of memory mapping a boot module");

    map_image((uintptr_t)__image_start, (uintptr_t)__text_end, VM_EXEC);
    map_image((uintptr_t)__text_end, (uintptr_t)__rodata_end, 0);
    map_image((uintptr_t)__rodata_end, (uintptr_t)__image_end, VM_WRITE);
    write_cr3((uint64_t)(uintptr_t)pml4);
}

static size_t count_wx(uint64_t *table, int level)
{
    size_t n = 0;
    for (int i = 0; i < 512; i++) {
        uint64_t e = table[i];
        if (!(e & PTE_P))
            continue;
        if (level == 1 || (e & PTE_PS))
            n += (e & PTE_W) && !(e & PTE_NX);
        else
            n += count_wx((uint64_t *)(uintptr_t)(e & PTE_ADDR), level - 1);
    }
    return n;
}

size_t vm_count_wx_pages(void)
{
    return count_wx(pml4, 4);
}

void vm_check_wx(void)
{
    size_t n = vm_count_wx_pages();
    if (n)
        panic("vm: %zu mappings are both writable and executable (W^X broken)", n);
}

const char *vm_describe(uint64_t va)
{
    extern char __text_start[], __data_start[];
    if (va < PAGE_SIZE)
        return "page 0 (NULL pointer)";
    if (va < LOW_MEMORY_LIMIT)
        return "low memory (NULL pointer + offset)";
    if (va >= (uintptr_t)__text_start && va < (uintptr_t)__text_end)
        return ".text (read-only code)";
    if (va >= (uintptr_t)__text_end && va < (uintptr_t)__rodata_end)
        return ".rodata (read-only data)";
    if (va >= (uintptr_t)__data_start && va < (uintptr_t)__image_end)
        return ".data/.bss (no-execute)";
    const struct layout *l = kernel_layout();
    if (va >= l->heap_base && va < l->heap_base + HEAP_MAX)
        return "the heap (no-execute)";
    if (va >= stack_area_base() && va < stack_area_end())
        return vm_translate(va) == UINT64_MAX ? "the stack area, between stacks"
                                              : "a thread stack (no-execute)";
    return vm_translate(va) == UINT64_MAX ? "unmapped memory" : "RAM (no-execute)";
}
