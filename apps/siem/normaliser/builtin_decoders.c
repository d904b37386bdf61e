/* The rule base compiled into the normaliser (decoders.rules in this
 * folder, checked by the build): the assembler includes the file byte for
 * byte, with a NUL after it. */
#include <stdio.h>
#include <string.h>

#include "decoders.h"

__asm__(".section .rodata.siem_builtin_decoders,\"a\"\n"
        ".global siem_builtin_decoders\n"
        "siem_builtin_decoders:\n"
        ".incbin \"apps/siem/normaliser/decoders.rules\"\n"
        ".byte 0\n"
        ".previous\n");

extern const char siem_builtin_decoders[];

static const struct siem_decoders *builtin, *active;

const struct siem_decoders *siem_decoders_builtin(void)
{
    char err[256];
    if (!builtin) {
        builtin = siem_decoders_load(siem_builtin_decoders, strlen(siem_builtin_decoders),
                                     "decoders.rules", err, sizeof(err));
        if (!builtin)
            fprintf(stderr, "normaliser: %s\n", err);
    }
    return builtin;
}

const struct siem_decoders *siem_decoders_active(void)
{
    return active ? active : siem_decoders_builtin();
}

void siem_decoders_use(const struct siem_decoders *base)
{
    active = base;
}
