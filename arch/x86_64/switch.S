/* Cooperative context switch. Called like a function, so only the SysV
 * callee-saved registers need saving: rbx, rbp, r12-r15, plus the x87
 * control word and MXCSR, whose control bits are callee-saved too. XMM
 * registers are caller-saved and so already dead at the call site.
 * Everything goes into the struct arch_context in the thread's record, the
 * return address included: nothing a switch resumes from is read off a
 * stack, so a write into a sleeping thread's stack cannot redirect it. */

/* Field offsets of struct arch_context (checked in context.c). */
#define CTX_RSP 0
#define CTX_RIP 8
#define CTX_RBX 16
#define CTX_RBP 24
#define CTX_R12 32
#define CTX_R13 40
#define CTX_R14 48
#define CTX_R15 56
#define CTX_MXCSR 64
#define CTX_FCW 68

        .text
        /* void arch_switch(struct arch_context *from, struct arch_context *to) */
        .globl arch_switch
arch_switch:
        mov (%rsp), %rax                /* where our caller continues */
        lea 8(%rsp), %rcx               /* its stack pointer once returned to */
        mov %rax, CTX_RIP(%rdi)
        mov %rcx, CTX_RSP(%rdi)
        mov %rbx, CTX_RBX(%rdi)
        mov %rbp, CTX_RBP(%rdi)
        mov %r12, CTX_R12(%rdi)
        mov %r13, CTX_R13(%rdi)
        mov %r14, CTX_R14(%rdi)
        mov %r15, CTX_R15(%rdi)
        stmxcsr CTX_MXCSR(%rdi)
        fnstcw CTX_FCW(%rdi)

        mov CTX_RBX(%rsi), %rbx
        mov CTX_RBP(%rsi), %rbp
        mov CTX_R12(%rsi), %r12
        mov CTX_R13(%rsi), %r13
        mov CTX_R14(%rsi), %r14
        mov CTX_R15(%rsi), %r15
        ldmxcsr CTX_MXCSR(%rsi)
        fldcw CTX_FCW(%rsi)
        mov CTX_RSP(%rsi), %rsp
        jmp *CTX_RIP(%rsi)

        /* First code a new thread runs: arch_context_init left entry in r12
         * and its argument in r13. A zero return address ends backtraces. */
        .globl arch_thread_start
arch_thread_start:
        mov %r13, %rdi
        xor %ebp, %ebp
        pushq $0
        jmp *%r12
