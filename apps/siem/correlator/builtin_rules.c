/* The rules compiled into the correlator (default.rules in this folder):
 * the assembler includes the file byte for byte, with a NUL after it. */
__asm__(".section .rodata.corr_builtin_rules,\"a\"\n"
        ".global corr_builtin_rules\n"
        "corr_builtin_rules:\n"
        ".incbin \"" CORR_RULES_FILE "\"\n"
        ".byte 0\n"
        ".previous\n");
