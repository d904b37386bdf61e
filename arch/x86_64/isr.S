/* Exception and IRQ entry stubs. Each pushes a vector number (and a dummy
 * error code where the CPU pushes none) and joins isr_common, which saves
 * the general registers and the SSE state, calls trap_dispatch and returns.
 * Every vector runs on an IST stack (see cpu.c), so the SysV red zone of
 * the interrupted code is never overwritten. */

        .macro ISR_NOERR n
        .globl isr\n
isr\n:
        pushq $0
        pushq $\n
        jmp isr_common
        .endm

        .macro ISR_ERR n
        .globl isr\n
isr\n:
        pushq $\n
        jmp isr_common
        .endm

        .text
        ISR_NOERR 0
        ISR_NOERR 1
        ISR_NOERR 2
        ISR_NOERR 3
        ISR_NOERR 4
        ISR_NOERR 5
        ISR_NOERR 6
        ISR_NOERR 7
        ISR_ERR 8
        ISR_NOERR 9
        ISR_ERR 10
        ISR_ERR 11
        ISR_ERR 12
        ISR_ERR 13
        ISR_ERR 14
        ISR_NOERR 15
        ISR_NOERR 16
        ISR_ERR 17
        ISR_NOERR 18
        ISR_NOERR 19
        ISR_NOERR 20
        ISR_ERR 21
        ISR_NOERR 22
        ISR_NOERR 23
        ISR_NOERR 24
        ISR_NOERR 25
        ISR_NOERR 26
        ISR_NOERR 27
        ISR_NOERR 28
        ISR_ERR 29
        ISR_ERR 30
        ISR_NOERR 31
        .irp n, 32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47
        ISR_NOERR \n
        .endr
        .irp n, 48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
        ISR_NOERR \n
        .endr

isr_common:
        pushq %rax
        pushq %rbx
        pushq %rcx
        pushq %rdx
        pushq %rsi
        pushq %rdi
        pushq %rbp
        pushq %r8
        pushq %r9
        pushq %r10
        pushq %r11
        pushq %r12
        pushq %r13
        pushq %r14
        pushq %r15
        mov %rsp, %rdi                  /* struct trap_frame * */
        mov %rsp, %rbx
        and $-16, %rsp
        sub $512, %rsp
        fxsave (%rsp)                   /* handlers may be compiled with SSE */
        cld
        call trap_dispatch
        fxrstor (%rsp)
        mov %rbx, %rsp
        popq %r15
        popq %r14
        popq %r13
        popq %r12
        popq %r11
        popq %r10
        popq %r9
        popq %r8
        popq %rbp
        popq %rdi
        popq %rsi
        popq %rdx
        popq %rcx
        popq %rbx
        popq %rax
        add $16, %rsp                   /* vector and error code */
        iretq

        /* Addresses: relocated at boot, read-only after (linker.ld). */
        .section .data.rel.ro, "aw"
        .align 8
        .globl isr_table
isr_table:
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,63
        .quad isr\n
        .endr
