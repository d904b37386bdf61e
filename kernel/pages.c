/* Physical page allocator. Free RAM is a short list of ranges taken from the
 * memory map minus what is in use (image, modules); pages are cut from the
 * ranges' low ends, and freed pages go on a list threaded through the pages
 * themselves (RAM is identity-mapped). Pure logic: unit-tested on the host. */
#include "pages.h"

#include <stddef.h>

struct range {
    uint64_t base, end;
};

static struct {
    struct range r[MAX_FREE_RANGES];
    int n;
    uint64_t *free_list; /* each free page holds the next one's address */
    size_t n_free;       /* pages on the free list plus pages left in ranges */
    size_t n_total;
    size_t used_peak; /* the most pages ever handed out at once (stats channel) */
} pm;

/* After an allocation: raise the high-water mark of pages in use. */
static void note_peak(void)
{
    size_t used = pm.n_total - pm.n_free;
    if (used > pm.used_peak)
        pm.used_peak = used;
}

void pages_init(void)
{
    pm.n = 0;
    pm.free_list = NULL;
    pm.n_free = pm.n_total = pm.used_peak = 0;
}

static void insert_range(uint64_t base, uint64_t end)
{
    if (end <= base || pm.n >= MAX_FREE_RANGES)
        return;
    int i = pm.n++;
    while (i > 0 && pm.r[i - 1].base > base) {
        pm.r[i] = pm.r[i - 1];
        i--;
    }
    pm.r[i] = (struct range){base, end};
    pm.n_free += (end - base) / PAGE_SIZE;
    pm.n_total += (end - base) / PAGE_SIZE;
}

void pages_add_range(uint64_t base, uint64_t len)
{
    uint64_t b = (base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    uint64_t e = (base + len) & ~(PAGE_SIZE - 1);
    insert_range(b, e);
}

void pages_reserve(uint64_t base, uint64_t len)
{
    uint64_t rb = base & ~(PAGE_SIZE - 1);
    uint64_t re = (base + len + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    for (int i = 0; i < pm.n; i++) {
        struct range r = pm.r[i];
        if (re <= r.base || rb >= r.end)
            continue;
        /* Drop the whole range, then put back what lies outside [rb, re). */
        size_t pages = (r.end - r.base) / PAGE_SIZE;
        pm.n_free -= pages;
        pm.n_total -= pages;
        for (int j = i; j + 1 < pm.n; j++)
            pm.r[j] = pm.r[j + 1];
        pm.n--;
        insert_range(r.base, rb < r.end ? rb : r.end);
        insert_range(re > r.base ? re : r.base, r.end);
        i = -1; /* the list changed shape: rescan (it is short) */
    }
}

uint64_t page_alloc(void)
{
    if (pm.free_list) {
        uint64_t *p = pm.free_list;
        pm.free_list = (uint64_t *)(uintptr_t)*p;
        pm.n_free--;
        note_peak();
        return (uint64_t)(uintptr_t)p;
    }
    return pages_alloc_contig(1);
}

uint64_t pages_alloc_contig(size_t n)
{
    if (n == 0 || n > UINT64_MAX / PAGE_SIZE)
        return 0; /* nothing asked, or n * PAGE_SIZE would wrap */
    uint64_t bytes = (uint64_t)n * PAGE_SIZE;
    for (int i = 0; i < pm.n; i++) {
        struct range *r = &pm.r[i];
        if (r->end - r->base >= bytes) {
            uint64_t p = r->base;
            r->base += bytes;
            pm.n_free -= n;
            note_peak();
            return p;
        }
    }
    return 0;
}

void page_free(uint64_t paddr)
{
    uint64_t *p = (uint64_t *)(uintptr_t)paddr;
    *p = (uint64_t)(uintptr_t)pm.free_list;
    pm.free_list = p;
    pm.n_free++;
}

size_t pages_free_count(void)
{
    return pm.n_free;
}

size_t pages_total_count(void)
{
    return pm.n_total;
}

size_t pages_used_count(void)
{
    return pm.n_total - pm.n_free;
}

size_t pages_used_peak(void)
{
    return pm.used_peak;
}
