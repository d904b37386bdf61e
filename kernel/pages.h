/* Physical page allocator (pages.c). Kept apart from kernel.h so the host
 * unit tests can include it alone. */
#ifndef KERNEL_PAGES_H
#define KERNEL_PAGES_H

#include <stddef.h>
#include <stdint.h>

#include "param.h"

void pages_init(void);
/* Add free RAM [base, base+len); partial pages at either end are ignored. */
void pages_add_range(uint64_t base, uint64_t len);
/* Remove [base, base+len) (rounded out to pages) from the free ranges. Call
 * before handing out pages. */
void pages_reserve(uint64_t base, uint64_t len);
/* One page, or 0 when memory is exhausted. Contents are not cleared. */
uint64_t page_alloc(void);
/* n physically contiguous pages (for device rings), or 0. */
uint64_t pages_alloc_contig(size_t n);
void page_free(uint64_t paddr);
size_t pages_free_count(void);
size_t pages_total_count(void);
/* Pages handed out and not freed (total - free), and the most there ever
 * were at once: the stats channel's leak signal (libos/stats.c). */
size_t pages_used_count(void);
size_t pages_used_peak(void);

#endif
