/* The stats channel: with the kernel option stats=SECONDS, a thread prints
 * one line of resource figures to the console every SECONDS, for soak
 * tests and operators watching for leaks (tools/soak.sh reads it):
 *   stats: uptime 60 s heap 200704 B (peak 200704 B) in use 123456 B
 *          pages 345 (peak 350) threads 5 fds 4
 * heap is what malloc holds from RAM (sbrk's total), "in use" the bytes in
 * live malloc blocks, pages those the kernel's page allocator has handed
 * out (heap, stacks, page tables, device rings); peaks are high-water
 * marks since boot, so a leak shows as a peak that keeps rising. */
#include <malloc.h>

#include "internal.h"

#define STATS_MAX_S 86400 /* a day: anything longer is more likely a typo */

static uint64_t interval_ns;

static void stats_print(void)
{
    struct mallinfo mi = mallinfo(); /* nano-malloc: walks its free list */
    kprintf("stats: uptime %lu s heap %zu B (peak %zu B) in use %zu B pages %zu (peak %zu) "
            "threads %d fds %d\n",
            clock_ns() / 1000000000u, libos_heap_size, libos_heap_peak, mi.uordblks,
            pages_used_count(), pages_used_peak(), thread_count(), fd_count());
}

/* Deadlines on a fixed grid from the start, so a late wake-up (the CPU
 * busy with other threads) does not shift every later line. */
static void stats_thread(void *arg)
{
    (void)arg;
    for (uint64_t next = clock_ns() + interval_ns;; next += interval_ns) {
        sleep_until(next);
        stats_print();
    }
}

void stats_start(const struct cmdline *cl)
{
    const char *v = cl ? cmdline_opt(cl, "stats") : NULL;
    if (!v)
        return;
    unsigned long s = 0;
    const char *p = v;
    while (*p >= '0' && *p <= '9' && s <= STATS_MAX_S)
        s = s * 10 + (unsigned long)(*p++ - '0');
    if (p == v || *p || s == 0 || s > STATS_MAX_S) {
        kprintf("stats: ignoring stats=%s: expected whole seconds from 1 to %d\n", v, STATS_MAX_S);
        return;
    }
    interval_ns = s * 1000000000ull;
    if (!thread_create("stats", stats_thread, NULL, 0))
        kprintf("stats: no memory for the stats thread; no stats lines\n");
}
