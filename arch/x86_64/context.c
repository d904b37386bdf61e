/* The starting state of a new thread: switching to it enters
 * arch_thread_start on an empty stack, which calls entry(arg). */
#include "arch.h"

#include <stddef.h>
#include <string.h>

extern void arch_thread_start(void);

/* switch.S addresses the fields by these offsets. */
_Static_assert(offsetof(struct arch_context, rsp) == 0, "switch.S CTX_RSP");
_Static_assert(offsetof(struct arch_context, rip) == 8, "switch.S CTX_RIP");
_Static_assert(offsetof(struct arch_context, rbx) == 16, "switch.S CTX_RBX");
_Static_assert(offsetof(struct arch_context, rbp) == 24, "switch.S CTX_RBP");
_Static_assert(offsetof(struct arch_context, r12) == 32, "switch.S CTX_R12");
_Static_assert(offsetof(struct arch_context, r13) == 40, "switch.S CTX_R13");
_Static_assert(offsetof(struct arch_context, r14) == 48, "switch.S CTX_R14");
_Static_assert(offsetof(struct arch_context, r15) == 56, "switch.S CTX_R15");
_Static_assert(offsetof(struct arch_context, mxcsr) == 64, "switch.S CTX_MXCSR");
_Static_assert(offsetof(struct arch_context, fcw) == 68, "switch.S CTX_FCW");

void arch_context_init(struct arch_context *ctx, uint64_t stack_top, void (*entry)(void *),
                       void *arg)
{
    memset(ctx, 0, sizeof(*ctx));
    ctx->rsp = stack_top & ~15ull; /* arch_thread_start pushes the 8 bytes a call would */
    ctx->rip = (uint64_t)(uintptr_t)arch_thread_start;
    ctx->r12 = (uint64_t)(uintptr_t)entry;
    ctx->r13 = (uint64_t)(uintptr_t)arg;
    ctx->mxcsr = 0x1f80; /* the defaults: all exceptions masked, round to nearest */
    ctx->fcw = 0x037f;
}
