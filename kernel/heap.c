/* The heap: a virtual region above the identity map that malloc grows with
 * sbrk. Each new page is taken from the page allocator and cleared, so the
 * heap can use all free RAM without needing it to be contiguous. */
#include <string.h>

#include "kernel.h"

static uint64_t base;   /* where the heap starts (random: kernel/aslr.c) */
static uint64_t brk;    /* first byte past the heap */
static uint64_t mapped; /* first byte past the mapped pages */

void *heap_sbrk(intptr_t incr)
{
    if (!base)
        base = brk = mapped = kernel_layout()->heap_base;
    uint64_t old = brk, want = brk + (uint64_t)incr;
    if (incr < 0 && (uint64_t)-incr > brk - base)
        return (void *)-1;
    if (want > base + HEAP_MAX)
        return (void *)-1;
    while (mapped < want) {
        uint64_t pa = page_alloc();
        if (!pa || vm_map_page(mapped, pa, VM_WRITE) < 0) {
            if (pa)
                page_free(pa);
            return (void *)-1; /* malloc turns this into NULL + ENOMEM */
        }
        memset((void *)(uintptr_t)mapped, 0, PAGE_SIZE);
        mapped += PAGE_SIZE;
    }
    while (mapped >= want + PAGE_SIZE) { /* shrinking: give pages back */
        mapped -= PAGE_SIZE;
        uint64_t pa = vm_translate(mapped);
        vm_unmap_page(mapped);
        page_free(pa);
    }
    brk = want;
    return (void *)(uintptr_t)old;
}
