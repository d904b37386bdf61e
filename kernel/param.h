/* Limits and tunables of the kernel, in one place. */
#ifndef KERNEL_PARAM_H
#define KERNEL_PARAM_H

#define PAGE_SIZE 4096ul

/* Boot information kept after the loader's structures are gone. */
#define MAX_MEMMAP 64    /* memory-map entries (QEMU gives < 10) */
#define MAX_MODULES 8    /* boot modules (initrd / module2) */
#define CMDLINE_MAX 1024 /* kernel command line, bytes */
#define MAX_ARGS 64      /* argv entries handed to main() */

/* Physical memory below this is never handed out: it holds the real-mode
 * IVT, BIOS data and the loader's structures. Nothing there is used once
 * the final page tables are up, so they leave it unmapped too: NULL plus
 * any offset below 1 MiB faults. */
#define LOW_MEMORY_LIMIT 0x100000ul
#define MAX_FREE_RANGES 64 /* physical ranges the page allocator tracks */

/* Virtual layout above the identity map of RAM (which ends below 512 GiB).
 * Each region starts at a random page of its window at every boot
 * (kernel/aslr.c), unless the kernel option aslr=off fixes them at the
 * window's start (the image then stays at its load address). */
#define IMAGE_AREA 0x20000000000ul /* 2 TiB: the image runs here... */
#define IMAGE_WINDOW (64ul << 30)  /* ...at one of 2^24 pages */
#define HEAP_AREA 0x8000000000ul   /* 512 GiB: malloc's heap grows up from... */
#define HEAP_WINDOW (256ul << 30)  /* ...one of 2^26 pages */
#define HEAP_MAX (64ul << 30)      /* the heap may span at most 64 GiB */
#define STACK_AREA                                                                                 \
    0x10000000000ul                /* 1 TiB: stack slots (read only by stack_area_base()) from...  \
                                    */
#define STACK_WINDOW (256ul << 30) /* ...one of 2^26 pages */

/* Threads. */
#define MAIN_STACK_SIZE (128ul * 1024)  /* the thread that runs main() */
#define THREAD_STACK_SIZE (64ul * 1024) /* other threads, unless asked otherwise */
#define THREAD_NAME_MAX 16
#define MAX_THREADS 4096             /* threads alive at once (stack slots) */
#define STACK_SLOT_SIZE (16ul << 20) /* virtual space per stack; the rest is guard */
/* Unmapped space kept below every stack, at least: a frame of code built
 * without -fstack-clash-protection (newlib) that is smaller than this still
 * faults in the guard rather than landing in the stack below. */
#define STACK_GUARD_MIN (64ul * 1024)
/* The largest stack a thread may have: 16 MiB - 64 KiB (Linux's default
 * of 8 MiB fits). Larger requests are refused. */
#define STACK_MAX (STACK_SLOT_SIZE - STACK_GUARD_MIN)

/* Time. */
#define TSC_CALIBRATION_MS 5 /* PIT window when no CPUID leaf gives the TSC rate */

/* Entropy. */
#define HWRNG_TRIES 10 /* RDRAND/RDSEED executions per value: Intel's advice for RDRAND */

/* Exit statuses: arch/x86_64/arch.h, next to arch_exit(), their first user. */

#endif
