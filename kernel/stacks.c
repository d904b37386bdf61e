/* Thread stacks. The stack area is cut into MAX_THREADS slots of
 * STACK_SLOT_SIZE virtual bytes; a stack fills the top of its slot and the
 * rest of the slot stays unmapped, at least STACK_GUARD_MIN of it, so that
 * running off the bottom of a stack faults in its own guard instead of
 * landing in the stack of the slot below. Nothing else lives in the area:
 * thread records and saved registers are elsewhere (thread.c). */
#include <errno.h>

#include "kernel.h"

_Static_assert(STACK_MAX % PAGE_SIZE == 0, "stacks are whole pages");
_Static_assert(STACK_GUARD_MIN >= PAGE_SIZE, "at least one guard page");
_Static_assert(MAIN_STACK_SIZE <= STACK_MAX && THREAD_STACK_SIZE <= STACK_MAX,
               "the default stacks leave the guard below them");

static uint8_t slot_used[MAX_THREADS / 8];

/* The one place that knows where the area starts: a random page of
 * STACK_WINDOW above STACK_AREA, chosen at boot (kernel/aslr.c). */
uint64_t stack_area_base(void)
{
    return kernel_layout()->stack_area;
}

uint64_t stack_area_end(void)
{
    return stack_area_base() + (uint64_t)MAX_THREADS * STACK_SLOT_SIZE;
}

static int slot_take(void)
{
    for (int i = 0; i < MAX_THREADS; i++) {
        if (!(slot_used[i / 8] & (1u << (i % 8)))) {
            slot_used[i / 8] |= 1u << (i % 8);
            return i;
        }
    }
    return -1;
}

static void slot_release(int i)
{
    slot_used[i / 8] &= ~(1u << (i % 8));
}

static void unmap_and_free(uint64_t lo, uint64_t hi)
{
    for (uint64_t va = lo; va < hi; va += PAGE_SIZE) {
        uint64_t pa = vm_translate(va);
        vm_unmap_page(va);
        if (pa != UINT64_MAX)
            page_free(pa);
    }
}

int stack_alloc(size_t size, uint64_t *lo, uint64_t *hi)
{
    if (size == 0 || size > STACK_MAX)
        return -EINVAL; /* checked before rounding: STACK_MAX is page-aligned */
    size = (size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    int slot = slot_take();
    if (slot < 0)
        return -EAGAIN;
    *hi = stack_area_base() + (uint64_t)(slot + 1) * STACK_SLOT_SIZE;
    *lo = *hi - size;
    for (uint64_t va = *lo; va < *hi; va += PAGE_SIZE) {
        uint64_t pa = page_alloc();
        if (!pa || vm_map_page(va, pa, VM_WRITE) < 0) {
            if (pa)
                page_free(pa);
            unmap_and_free(*lo, va);
            slot_release(slot);
            return -ENOMEM;
        }
    }
    return 0;
}

void stack_free(uint64_t lo, uint64_t hi)
{
    unmap_and_free(lo, hi);
    slot_release((int)((hi - stack_area_base()) / STACK_SLOT_SIZE) - 1);
}

uint64_t stack_slot_lo(uint64_t hi)
{
    return hi - STACK_SLOT_SIZE;
}
