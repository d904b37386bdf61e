/* The kernel layer's internal interface, grouped by the file that defines
 * each function. Layers above (drivers, net, libos) include this; apps never
 * do (they see only <libos/...>). */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "boot_info.h"
#include "cmdline.h"
#include "pages.h"
#include "param.h"
#include "timerq.h"

/* main.c: the boot story */
void kernel_entry(void) __attribute__((noreturn));
/* Parse the loader's information into kernel_boot_info(); the first thing
 * at boot (kernel_relocate). A malformed one panics in kernel_entry. */
void kernel_read_boot_info(uint32_t loader, uint64_t info_paddr);
const struct boot_info *kernel_boot_info(void);
/* The parsed command line (options and argv), for drivers that read options. */
const struct cmdline *kernel_cmdline(void);
/* Provided by the layer above (libos): runs in the main thread and never
 * returns; argv comes from the command line after "--". */
void libos_start(int argc, char **argv, const struct cmdline *cl) __attribute__((noreturn));

/* aslr.c: where this boot put the image, the heap and the thread stacks */
struct layout {
    uint64_t image_va, image_pa, image_size; /* the image: virtual, physical, bytes */
    uint64_t heap_base;                      /* malloc's heap grows up from here */
    uint64_t stack_area;                     /* thread stack slots start here */
    int randomised;                          /* 0 with aslr=off (or if moving failed) */
};
/* Called by boot/entry.S at the load address: move the image to a random
 * address; returns how far it moved (0 if it did not). */
uint64_t kernel_relocate(uint32_t loader, uint64_t info_paddr);
void aslr_init(void);   /* pick the heap and stack bases */
void aslr_report(void); /* one boot-log line: the addresses and their entropy */
const struct layout *kernel_layout(void);

/* console.c */
void console_write(const char *s, size_t n);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);

/* panic.c: fatal errors, symbolised backtraces, the exception report */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
#define kassert(cond)                                                                              \
    do {                                                                                           \
        if (!(cond))                                                                               \
            panic("assertion failed: %s (%s:%d)", #cond, __FILE__, __LINE__);                      \
    } while (0)
/* Name of the function containing addr and the offset into it, or NULL. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);
void backtrace_print(uint64_t rbp, uint64_t rip);
void fault_report(struct trap_frame *f) __attribute__((noreturn));
/* End the VM with status (see param.h); the last thing anything calls. */
void kernel_exit(int status) __attribute__((noreturn));

/* vm.c: page tables. RAM is identity-mapped; see param.h for the rest. */
#define VM_WRITE 1u
#define VM_EXEC 2u
#define VM_UNCACHED 4u
void vm_init(const struct boot_info *bi);
int vm_map_page(uint64_t va, uint64_t pa, unsigned flags); /* 0 or -ENOMEM */
void vm_unmap_page(uint64_t va);
/* Physical address behind va, or UINT64_MAX when va is not mapped. */
uint64_t vm_translate(uint64_t va);
/* 1 when every page of [va, va+len) is mapped writable, else 0: a device
 * may write only where the CPU could (W^X holds for DMA too). */
int vm_writable(uint64_t va, uint64_t len);
/* Map device registers [pa, pa+len) uncached at va == pa; 0 or -ENOMEM. */
int vm_map_mmio(uint64_t pa, uint64_t len);
/* Walk every mapping; count pages both writable and executable. */
size_t vm_count_wx_pages(void);
/* Panic unless vm_count_wx_pages() is 0; run once the tables are built. */
void vm_check_wx(void);
/* What lies at va, for fault messages: ".text", "the heap", "a thread stack", ...
 * (thread_by_guard() tells the guard pages). */
const char *vm_describe(uint64_t va);

/* heap.c: the region malloc grows into, backed page by page from RAM */
void *heap_sbrk(intptr_t incr); /* (void *)-1 when out of memory */

/* stacks.c: thread stacks, one per slot of the stack area, each with at
 * least STACK_GUARD_MIN unmapped below it */
uint64_t stack_area_base(void); /* where the slots start */
uint64_t stack_area_end(void);  /* the end of the last slot */
/* Map a stack of size bytes (rounded up to pages, at most STACK_MAX) at
 * the top of a free slot: [*lo, *hi). 0, -EINVAL (too big), -EAGAIN (no
 * slot) or -ENOMEM. */
int stack_alloc(size_t size, uint64_t *lo, uint64_t *hi);
void stack_free(uint64_t lo, uint64_t hi); /* unmap it, free its pages and slot */
uint64_t stack_slot_lo(uint64_t hi);       /* the bottom of the slot of the stack ending at hi */

/* thread.c: cooperative threads and the scheduler */
struct thread;
struct waitq {
    struct thread *head, *tail;
};
/* A runnable thread calling fn(arg) on a stack of stack_size bytes (0: the
 * default); NULL when out of memory or slots, or when stack_size exceeds
 * STACK_MAX (said on the console). */
struct thread *thread_create(const char *name, void (*fn)(void *), void *arg, size_t stack_size);
struct thread *thread_current(void);
const char *thread_name(const struct thread *t);
void thread_yield(void);
void thread_exit(void) __attribute__((noreturn));
void sched_init(void);
void sched_start(void) __attribute__((noreturn));
/* Threads alive: created and not yet exited (the stats channel's figure). */
int thread_count(void);
/* The thread whose stack guard (the unmapped part of its slot) contains
 * va, or NULL. */
struct thread *thread_by_guard(uint64_t va);
/* Call fn (interrupts off; it must not block) each time the running thread
 * gives up the CPU: it blocks, yields or exits. A layer above that batches
 * work while a thread runs (frames queued for a device but not yet
 * announced to it) pushes it out there, before another thread runs or the
 * CPU halts. At most SCHED_FLUSH_MAX functions. */
#define SCHED_FLUSH_MAX 4
void sched_add_flush(void (*fn)(void));
/* Rename t (at most THREAD_NAME_MAX - 1 characters are kept). */
void thread_set_name(struct thread *t, const char *name);
/* The mapped stack of t: [*lo, *hi). */
void thread_stack(const struct thread *t, uint64_t *lo, uint64_t *hi);
/* Per-thread slot for the layer above (libos keeps its thread state here). */
void *thread_user(struct thread *t);
void thread_set_user(struct thread *t, void *p);

/* waitq.c: block until woken. Call with interrupts disabled (irq_save) after
 * checking the condition, so a wake from an interrupt cannot be missed. */
void waitq_init(struct waitq *q);
void waitq_wait(struct waitq *q);
/* As waitq_wait, giving up at deadline_ns: 0 if woken, -ETIMEDOUT if not. */
int waitq_wait_until(struct waitq *q, uint64_t deadline_ns);
/* Wake one / all waiters; safe in interrupt context. Returns how many. */
int waitq_wake_one(struct waitq *q);
int waitq_wake_all(struct waitq *q);

/* entropy.c: RDSEED, else RDRAND, each checked at boot (hwrng.c); a TSC
 * mix where the CPU has neither working */
uint64_t entropy_u64(void);
int entropy_is_hardware(void); /* 0: the TSC mix, predictable */
/* Print, once the console is up, which source the first draws used. */
void entropy_report(void);

/* stack_protector.c */
void stack_protector_init(void); /* first thing at boot: see main.c */

/* clock.c: monotonic (TSC) and wall (RTC at boot) clocks, sleeping */
void clock_init(uint64_t boot_tsc);
uint64_t clock_ns(void);     /* nanoseconds since boot */
int64_t clock_wall_ns(void); /* nanoseconds since 1970 */
void sleep_until(uint64_t deadline_ns);
/* thread.c <-> clock.c: the timer queue shared by sleeps and timeouts */
void timers_arm(struct timer *t, uint64_t deadline_ns);
void timers_cancel(struct timer *t);

#endif
