/* Converts the multiboot2 information structure or the PVH start_info into
 * one struct boot_info, copying everything that must outlive the loader's
 * memory (memory map, command line, module list). Pure logic: unit-tested
 * on the host against real byte layouts. */
#include "boot_info.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

/* Multiboot2 specification, section 3.6: boot information format. */
struct mb2_tag {
    uint32_t type;
    uint32_t size;
};
struct mb2_mmap_entry {
    uint64_t base;
    uint64_t len;
    uint32_t type;
    uint32_t reserved;
};
_Static_assert(sizeof(struct mb2_tag) == 8, "multiboot2 tag header");
_Static_assert(sizeof(struct mb2_mmap_entry) == 24, "multiboot2 mmap entry");

enum { MB2_TAG_END = 0, MB2_TAG_CMDLINE = 1, MB2_TAG_MODULE = 3, MB2_TAG_MMAP = 6 };

/* Xen public/arch-x86/hvm/start_info.h: the PVH boot ABI. */
struct hvm_start_info {
    uint32_t magic;
    uint32_t version;
    uint32_t flags;
    uint32_t nr_modules;
    uint64_t modlist_paddr;
    uint64_t cmdline_paddr;
    uint64_t rsdp_paddr;
    uint64_t memmap_paddr; /* version >= 1 */
    uint32_t memmap_entries;
    uint32_t reserved;
};
struct hvm_modlist_entry {
    uint64_t paddr;
    uint64_t size;
    uint64_t cmdline_paddr;
    uint64_t reserved;
};
struct hvm_memmap_table_entry {
    uint64_t addr;
    uint64_t size;
    uint32_t type;
    uint32_t reserved;
};
_Static_assert(sizeof(struct hvm_start_info) == 56, "PVH start_info");
_Static_assert(sizeof(struct hvm_modlist_entry) == 32, "PVH module entry");
_Static_assert(sizeof(struct hvm_memmap_table_entry) == 24, "PVH memmap entry");

#define HVM_START_MAGIC 0x336ec578u

static const void *phys(uint64_t paddr)
{
    return (const void *)(uintptr_t)paddr;
}

static void copy_string(char *dst, size_t cap, const char *src, size_t max_src)
{
    size_t n = 0;
    if (src)
        while (n < max_src && n + 1 < cap && src[n])
            n++;
    memcpy(dst, src ? src : "", n);
    dst[n] = '\0';
}

static int fail(struct boot_info *bi, const char *why)
{
    copy_string(bi->cmdline, sizeof(bi->cmdline), why, CMDLINE_MAX);
    return -EINVAL;
}

static void add_range(struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type)
{
    if (bi->n_mem < MAX_MEMMAP && len > 0)
        bi->mem[bi->n_mem++] = (struct mem_range){base, len, type};
}

static void add_module(struct boot_info *bi, uint64_t start, uint64_t end, const char *name)
{
    if (bi->n_mod >= MAX_MODULES || end < start)
        return;
    struct boot_module *m = &bi->mod[bi->n_mod++];
    m->start = start;
    m->end = end;
    copy_string(m->name, sizeof(m->name), name, sizeof(m->name));
}

int boot_info_from_multiboot2(struct boot_info *bi, const void *mbi)
{
    memset(bi, 0, sizeof(*bi));
    bi->loader = LOADER_MULTIBOOT2;
    const uint8_t *p = mbi;
    uint32_t total;
    memcpy(&total, p, sizeof(total));
    if (total < 16)
        return fail(bi, "multiboot2 information too short");

    for (uint32_t off = 8; off + sizeof(struct mb2_tag) <= total;) {
        struct mb2_tag tag;
        memcpy(&tag, p + off, sizeof(tag));
        if (tag.type == MB2_TAG_END)
            break;
        if (tag.size < sizeof(tag) || off + tag.size > total)
            return fail(bi, "multiboot2 tag overruns the information structure");
        const uint8_t *body = p + off + sizeof(tag);
        uint32_t body_len = tag.size - sizeof(tag);

        if (tag.type == MB2_TAG_CMDLINE) {
            copy_string(bi->cmdline, sizeof(bi->cmdline), (const char *)body, body_len);
        } else if (tag.type == MB2_TAG_MODULE && body_len >= 8) {
            uint32_t se[2];
            memcpy(se, body, sizeof(se));
            char name[64];
            copy_string(name, sizeof(name), (const char *)body + 8, body_len - 8);
            add_module(bi, se[0], se[1], name);
        } else if (tag.type == MB2_TAG_MMAP && body_len >= 8) {
            uint32_t entry_size;
            memcpy(&entry_size, body, sizeof(entry_size));
            if (entry_size < sizeof(struct mb2_mmap_entry))
                return fail(bi, "multiboot2 memory map entries too small");
            for (uint32_t e = 8; e + entry_size <= body_len; e += entry_size) {
                struct mb2_mmap_entry me;
                memcpy(&me, body + e, sizeof(me));
                add_range(bi, me.base, me.len, me.type);
            }
        }
        off += (tag.size + 7) & ~7u; /* tags are 8-byte aligned */
    }
    if (bi->n_mem == 0)
        return fail(bi, "multiboot2 information has no memory map");
    return 0;
}

int boot_info_from_pvh(struct boot_info *bi, const void *start_info)
{
    memset(bi, 0, sizeof(*bi));
    bi->loader = LOADER_PVH;
    struct hvm_start_info si;
    memcpy(&si, start_info, sizeof(si));
    if (si.magic != HVM_START_MAGIC)
        return fail(bi, "PVH start_info has a bad magic number");
    if (si.version < 1 || si.memmap_entries == 0)
        return fail(bi, "PVH start_info has no memory map (version 0)");

    if (si.cmdline_paddr)
        copy_string(bi->cmdline, sizeof(bi->cmdline), phys(si.cmdline_paddr), CMDLINE_MAX);

    const struct hvm_memmap_table_entry *mm = phys(si.memmap_paddr);
    for (uint32_t i = 0; i < si.memmap_entries; i++)
        add_range(bi, mm[i].addr, mm[i].size, mm[i].type);

    const struct hvm_modlist_entry *ml = phys(si.modlist_paddr);
    for (uint32_t i = 0; si.modlist_paddr && i < si.nr_modules; i++) {
        const char *name = ml[i].cmdline_paddr ? phys(ml[i].cmdline_paddr) : "";
        add_module(bi, ml[i].paddr, ml[i].paddr + ml[i].size, name);
    }
    return 0;
}

uint64_t boot_info_usable_bytes(const struct boot_info *bi)
{
    uint64_t sum = 0;
    for (uint32_t i = 0; i < bi->n_mem; i++)
        if (bi->mem[i].type == MEM_USABLE)
            sum += bi->mem[i].len;
    return sum;
}
