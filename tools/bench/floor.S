/* The boot-time floor: the smallest image QEMU can boot with -kernel.
 * It is entered through the PVH ABI (32-bit protected mode, paging off),
 * writes one byte to COM1, asks isa-debug-exit to end QEMU with guest
 * status 0 (QEMU exit code 3) and halts. Anything a real kernel costs on
 * top of this is the kernel's own boot time. Built by tools/bench-boot.sh. */

#define COM1            0x3f8
#define DEBUG_EXIT_PORT 0xf4
#define XEN_ELFNOTE_PHYS32_ENTRY 18

/* The PVH entry note: name "Xen", type 18, a 32-bit physical entry point. */
        .section .note.Xen, "a", @note
        .balign 4
        .long   4f - 3f                 /* name size, NUL included */
        .long   6f - 5f                 /* descriptor size */
        .long   XEN_ELFNOTE_PHYS32_ENTRY
3:      .asciz  "Xen"
4:      .balign 4
5:      .long   floor_start
6:      .balign 4

        .text
        .code32
        .globl  floor_start
floor_start:
        cli
        movw    $COM1, %dx
        movb    $'F', %al               /* the one byte the benchmark waits for */
        outb    %al, %dx
        movw    $DEBUG_EXIT_PORT, %dx
        movb    $1, %al                 /* guest status 0, written as status + 1 */
        outb    %al, %dx
1:      hlt                             /* not reached: QEMU has exited */
        jmp     1b

        .section .note.GNU-stack, "", @progbits
