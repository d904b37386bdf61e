/* Boot entry: the multiboot2 header (GRUB), the PVH ELF note (QEMU -kernel),
 * and the 32-bit code that both loaders enter, which switches to long mode
 * on an identity-mapped first GiB and calls kernel_entry(loader, info). */

#define MB2_MAGIC 0xe85250d6
#define MB2_BOOTLOADER_MAGIC 0x36d76289
#define LOADER_MULTIBOOT2 1
#define LOADER_PVH 2

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

        /* Xen PVH ABI: XEN_ELFNOTE_PHYS32_ENTRY (18) gives the 32-bit
         * physical entry point; %ebx holds the hvm_start_info address. */
        .section .note.pvh, "a", @note
        .align 4
        .long 4
        .long 4
        .long 18
        .asciz "Xen"
        .align 4
        .long pvh_start

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
        mov $boot_stack_top, %esp
        mov %edi, boot_loader

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
        mov $boot_pml4, %ebx
        xor %eax, %eax
        mov %ebx, %edi
        mov $(3 * 1024), %ecx
        rep stosl
        mov $(boot_pdpt + 3), %eax      /* present | writable */
        mov %eax, boot_pml4
        mov $(boot_pd + 3), %eax
        mov %eax, boot_pdpt
        mov $boot_pd, %ebx
        xor %ecx, %ecx
1:      mov %ecx, %eax
        shl $21, %eax
        or $0x83, %eax                  /* present | writable | 2 MiB page */
        mov %eax, (%ebx, %ecx, 8)
        inc %ecx
        cmp $512, %ecx
        jne 1b

        mov $boot_pml4, %eax
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

        lgdt boot_gdt_ptr
        ljmp $0x08, $long_mode

        /* No long mode, or an unknown loader: say so on COM1, then stop. */
no_long_mode:
        mov $no_lm_msg, %esi
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
long_mode:
        mov $0x10, %ax
        mov %ax, %ds
        mov %ax, %es
        mov %ax, %ss
        xor %ax, %ax
        mov %ax, %fs
        mov %ax, %gs
        mov $boot_stack_top, %rsp
        xor %ebp, %ebp
        mov boot_loader(%rip), %edi     /* %edi was reused building tables */
        mov %esi, %esi                  /* zero-extend the info address */
        call kernel_entry
5:      hlt
        jmp 5b

        .section .rodata
no_lm_msg:
        .asciz "boot: this CPU has no 64-bit long mode, or the loader is not multiboot2/PVH\n"
        .align 8
boot_gdt:
        .quad 0
        .quad 0x00af9a000000ffff        /* 0x08: 64-bit code */
        .quad 0x00cf92000000ffff        /* 0x10: data */
boot_gdt_ptr:
        .short boot_gdt_ptr - boot_gdt - 1
        .long boot_gdt

        .section .bss
        .align 4096
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
        .section .data
boot_loader:
        .long 0
