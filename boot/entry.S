/* Boot entry: the multiboot2 header (GRUB) and the 32-bit code that both
 * loaders enter (the PVH ELF note for QEMU -kernel is in linker.ld). It
 * switches to long mode on an identity-mapped first GiB, has the image move
 * itself to a random virtual address (kernel_relocate, kernel/aslr.c) and
 * calls kernel_entry() there. */

#define MB2_MAGIC 0xe85250d6
#define MB2_BOOTLOADER_MAGIC 0x36d76289
#define LOADER_MULTIBOOT2 1
#define LOADER_PVH 2

/* linker.ld's boot_table, the image's first bytes at its load address
 * (1 MiB): the addresses this 32-bit code needs, written by the linker. */
#define BOOT_TABLE 0x100000
#define BT_STACK_TOP (BOOT_TABLE + 0)
#define BT_PML4 (BOOT_TABLE + 4)
#define BT_LONG_MODE (BOOT_TABLE + 8)
#define BT_NO_LM_MSG (BOOT_TABLE + 12)
#define BT_GDT_PTR (BOOT_TABLE + 16)

        /* Multiboot2 spec 3.1.1: the header must sit in the first 32 KiB of
         * the file, 64-bit aligned; the linker script places it first. */
        .section .multiboot2, "a"
        .align 8
mb2_header:
        .long MB2_MAGIC
        .long 0                         /* architecture: i386 protected mode */
        .long mb2_header_end - mb2_header
        .long -(MB2_MAGIC + (mb2_header_end - mb2_header))
        .align 8
        .short 0, 0                     /* end tag */
        .long 8
mb2_header_end:

        .section .boot.text, "ax"
        .code32
        .globl mb2_start
mb2_start:
        cld
        cmp $MB2_BOOTLOADER_MAGIC, %eax
        jne no_long_mode
        mov %ebx, %esi
        mov $LOADER_MULTIBOOT2, %edi
        jmp common32

        .globl pvh_start
pvh_start:
        cld
        mov %ebx, %esi
        mov $LOADER_PVH, %edi

common32:
        mov BT_STACK_TOP, %esp
        mov %edi, %ebp                  /* the loader, kept across cpuid */

        /* Long mode (CPUID 0x80000001 EDX bit 29) is required. */
        mov $0x80000000, %eax
        cpuid
        cmp $0x80000001, %eax
        jb no_long_mode
        mov $0x80000001, %eax
        cpuid
        test $(1 << 29), %edx
        jz no_long_mode

        /* Identity map 0..1 GiB with 2 MiB pages: PML4[0] -> PDPT[0] -> PD. */
        /* boot_pml4, boot_pdpt and boot_pd are consecutive pages. */
        mov BT_PML4, %ebx
        xor %eax, %eax
        mov %ebx, %edi
        mov $(3 * 1024), %ecx
        rep stosl
        lea (4096 + 3)(%ebx), %eax      /* boot_pdpt | present | writable */
        mov %eax, (%ebx)
        lea (8192 + 3)(%ebx), %eax      /* boot_pd | present | writable */
        mov %eax, 4096(%ebx)
        add $8192, %ebx                 /* boot_pd */
        xor %ecx, %ecx
1:      mov %ecx, %eax
        shl $21, %eax
        or $0x83, %eax                  /* present | writable | 2 MiB page */
        mov %eax, (%ebx, %ecx, 8)
        inc %ecx
        cmp $512, %ecx
        jne 1b

        mov BT_PML4, %eax
        mov %eax, %cr3
        mov %cr4, %eax
        or $((1 << 5) | (1 << 9) | (1 << 10)), %eax  /* PAE, OSFXSR, OSXMMEXCPT */
        mov %eax, %cr4
        mov $0xc0000080, %ecx           /* EFER: long mode enable + no-execute */
        rdmsr
        or $((1 << 8) | (1 << 11)), %eax
        wrmsr
        mov %cr0, %eax
        and $~(1 << 2), %eax            /* EM off: SSE is used by compiled C */
        or $((1 << 31) | (1 << 16) | (1 << 1) | 1), %eax  /* PG, WP, MP, PE */
        mov %eax, %cr0

        lgdt BT_GDT_PTR
        pushl $0x08                     /* far return to 64-bit code: CS 0x08 */
        pushl BT_LONG_MODE
        lret

        /* No long mode, or an unknown loader: say so on COM1, then stop. */
no_long_mode:
        mov BT_NO_LM_MSG, %esi
        mov $0x3f8, %dx
2:      lodsb
        test %al, %al
        jz 3f
        out %al, %dx
        jmp 2b
3:      mov $0xf4, %dx                  /* isa-debug-exit: status 121 (fault) */
        mov $(121 + 1), %al
        out %al, %dx
4:      hlt
        jmp 4b

        .code64
        .globl long_mode
long_mode:
        mov $0x10, %ax
        mov %ax, %ds
        mov %ax, %es
        mov %ax, %ss
        xor %ax, %ax
        mov %ax, %fs
        mov %ax, %gs
        lea boot_stack_top(%rip), %rsp
        mov %ebp, %edi                  /* the loader */
        mov %esi, %esi                  /* zero-extend the info address */
        xor %ebp, %ebp
        call kernel_relocate            /* -> %rax: how far the image moved */
        /* Continue at the new address: the stack and the code move by the
         * same amount. From here on nothing runs at the load address. */
        add %rax, %rsp
        lea kernel_entry(%rip), %rcx
        add %rax, %rcx
        call *%rcx
5:      hlt
        jmp 5b

        /* Kept next to the code: linker.ld's boot table names them, which
         * does not keep a section of their own from --gc-sections. */
no_lm_msg:
        .asciz "boot: this CPU has no 64-bit long mode, or the loader is not multiboot2/PVH\n"
        .align 8
        .globl boot_gdt, boot_gdt_end, no_lm_msg
boot_gdt:
        .quad 0
        .quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
        .quad 0x00cf92000000ffff        /* 0x10: data */
boot_gdt_end:

        .section .bss
        .align 4096
        .globl boot_pml4
boot_pml4:
        .skip 4096
boot_pdpt:
        .skip 4096
boot_pd:
        .skip 4096
        .globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
        .skip 16384
boot_stack_top:
