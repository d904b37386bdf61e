/* Cooperative context switch. Called like a function, so only the SysV
 * callee-saved registers need saving: rbx, rbp, r12-r15, plus the x87
 * control word and MXCSR, whose control bits are callee-saved too. XMM
 * registers are caller-saved and so already dead at the call site. */

        .text
        /* void arch_switch(struct arch_context *from, struct arch_context *to) */
        .globl arch_switch
arch_switch:
        pushq %rbp
        pushq %rbx
        pushq %r12
        pushq %r13
        pushq %r14
        pushq %r15
        sub $8, %rsp
        fnstcw (%rsp)
        stmxcsr 4(%rsp)
        mov %rsp, (%rdi)
        mov (%rsi), %rsp
        ldmxcsr 4(%rsp)
        fldcw (%rsp)
        add $8, %rsp
        popq %r15
        popq %r14
        popq %r13
        popq %r12
        popq %rbx
        popq %rbp
        ret

        /* First code a new thread runs: arch_context_init left entry in r12
         * and its argument in r13. A zero return address ends backtraces. */
        .globl arch_thread_start
arch_thread_start:
        mov %r13, %rdi
        xor %ebp, %ebp
        pushq $0
        jmp *%r12
