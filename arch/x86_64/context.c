/* Builds the first stack frame of a new thread so that arch_switch() to it
 * "returns" into arch_thread_start, which calls entry(arg). */
#include "arch.h"

extern void arch_thread_start(void);

void arch_context_init(struct arch_context *ctx, void *stack_top, void (*entry)(void *), void *arg)
{
    uint64_t *sp = (uint64_t *)((uintptr_t)stack_top & ~15ul);
    /* Popped by arch_switch, from the top: return address, rbp, rbx,
     * r12 (entry), r13 (arg), r14, r15, then x87 control word + MXCSR. */
    *--sp = (uint64_t)(uintptr_t)arch_thread_start;
    *--sp = 0;                             /* rbp */
    *--sp = 0;                             /* rbx */
    *--sp = (uint64_t)(uintptr_t)entry;    /* r12 */
    *--sp = (uint64_t)(uintptr_t)arg;      /* r13 */
    *--sp = 0;                             /* r14 */
    *--sp = 0;                             /* r15 */
    *--sp = 0x037full | (0x1f80ull << 32); /* FCW default, MXCSR default */
    ctx->rsp = (uint64_t)(uintptr_t)sp;
}
