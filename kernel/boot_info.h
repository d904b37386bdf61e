/* struct boot_info: what the loader told us, in one loader-neutral form.
 * Kept apart from kernel.h so the host unit tests can include it alone. */
#ifndef KERNEL_BOOT_INFO_H
#define KERNEL_BOOT_INFO_H

#include <stdint.h>

#include "param.h"

enum boot_loader { LOADER_MULTIBOOT2 = 1, LOADER_PVH = 2 };

#define MEM_USABLE 1 /* E820 / multiboot2 type for ordinary RAM */

struct mem_range {
    uint64_t base;
    uint64_t len;
    uint32_t type;
};

struct boot_module {
    uint64_t start; /* physical, first byte */
    uint64_t end;   /* physical, one past the last byte */
    char name[64];  /* the module's command line, e.g. its file name */
};

struct boot_info {
    enum boot_loader loader;
    uint32_t n_mem;
    struct mem_range mem[MAX_MEMMAP];
    char cmdline[CMDLINE_MAX];
    uint32_t n_mod;
    struct boot_module mod[MAX_MODULES];
    /* Entries the loader listed but this structure has no room for (or,
     * for modules, that end before they start): left unread, counted so
     * the kernel can say so. */
    uint32_t mem_dropped;
    uint32_t mod_dropped;
};

/* Fill *bi from a multiboot2 information structure or a PVH hvm_start_info.
 * Physical addresses inside them are read through the identity map. Return
 * 0, or a negative errno with bi->cmdline holding a one-line reason. */
int boot_info_from_multiboot2(struct boot_info *bi, const void *mbi);
int boot_info_from_pvh(struct boot_info *bi, const void *start_info);

/* Total bytes of usable RAM in the map. */
uint64_t boot_info_usable_bytes(const struct boot_info *bi);

#endif
