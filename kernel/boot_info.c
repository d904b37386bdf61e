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

/* Callers stop reading at the cap; the check here only keeps the array
 * safe should one not. */
static void add_range(struct boot_info *bi, uint64_t base, uint64_t len, uint32_t type)
{
    if (bi->n_mem >= MAX_MEMMAP)
        bi->mem_dropped++;
    else if (len > 0)
        bi->mem[bi->n_mem++] = (struct mem_range){base, len, type};
}

/* len bytes from start, or nothing when the range wraps past 2^64. */
static void add_module(struct boot_info *bi, uint64_t start, uint64_t len, const char *name)
{
    if (bi->n_mod >= MAX_MODULES || start + len < start) {
        bi->mod_dropped++;
        return;
    }
    struct boot_module *m = &bi->mod[bi->n_mod++];
    m->start = start;
    m->end = start + len;
    copy_string(m->name, sizeof(m->name), name, sizeof(m->name));
}

/* Each size is compared with what is left of the structure (never added
 * to an offset first): a 32-bit sum can wrap to a small number and let a
 * tag or an entry claim gigabytes beyond it. */
int boot_info_from_multiboot2(struct boot_info *bi, const void *mbi)
{
    memset(bi, 0, sizeof(*bi));
    bi->loader = LOADER_MULTIBOOT2;
    const uint8_t *p = mbi;
    uint32_t total;
    memcpy(&total, p, sizeof(total));
    if (total < 16)
        return fail(bi, "multiboot2 information too short");

    for (uint32_t off = 8; total - off >= sizeof(struct mb2_tag);) {
        struct mb2_tag tag;
        memcpy(&tag, p + off, sizeof(tag));
        if (tag.type == MB2_TAG_END)
            break;
        if (tag.size < sizeof(tag) || tag.size > total - off)
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
            if (se[1] >= se[0])
                add_module(bi, se[0], se[1] - se[0], name);
            else
                bi->mod_dropped++;
        } else if (tag.type == MB2_TAG_MMAP && body_len >= 8) {
            uint32_t entry_size;
            memcpy(&entry_size, body, sizeof(entry_size));
            if (entry_size < sizeof(struct mb2_mmap_entry))
                return fail(bi, "multiboot2 memory map entries too small");
            for (uint32_t e = 8; entry_size <= body_len - e; e += entry_size) {
                if (bi->n_mem == MAX_MEMMAP) { /* the rest is counted, not read */
                    bi->mem_dropped += (body_len - e) / entry_size;
                    break;
                }
                struct mb2_mmap_entry me;
                memcpy(&me, body + e, sizeof(me));
                add_range(bi, me.base, me.len, me.type);
            }
        }
        /* Tags are 8-byte aligned; the last one may end unpadded. No wrap:
         * tag.size <= total - off <= 2^32 - 9. */
        uint32_t step = (tag.size + 7) & ~7u;
        if (step >= total - off)
            break;
        off += step;
    }
    if (bi->n_mem == 0)
        return fail(bi, "multiboot2 information has no memory map");
    return 0;
}

/* PVH gives no size for its lists, only counts: read at most as many
 * entries as struct boot_info keeps and count the rest. */
int boot_info_from_pvh(struct boot_info *bi, const void *start_info)
{
    memset(bi, 0, sizeof(*bi));
    bi->loader = LOADER_PVH;
    struct hvm_start_info si;
    memcpy(&si, start_info, sizeof(si));
    if (si.magic != HVM_START_MAGIC)
        return fail(bi, "PVH start_info has a bad magic number");
    if (si.version < 1)
        return fail(bi, "PVH start_info has no memory map (version 0)");
    if (si.memmap_entries == 0 || si.memmap_paddr == 0)
        return fail(bi, "PVH start_info has an empty memory map");

    if (si.cmdline_paddr)
        copy_string(bi->cmdline, sizeof(bi->cmdline), phys(si.cmdline_paddr), CMDLINE_MAX);

    const struct hvm_memmap_table_entry *mm = phys(si.memmap_paddr);
    uint32_t n = si.memmap_entries < MAX_MEMMAP ? si.memmap_entries : MAX_MEMMAP;
    for (uint32_t i = 0; i < n; i++)
        add_range(bi, mm[i].addr, mm[i].size, mm[i].type);
    bi->mem_dropped += si.memmap_entries - n;
    if (bi->n_mem == 0) /* only empty ranges: as multiboot2, no map */
        return fail(bi, "PVH start_info has an empty memory map");

    if (si.modlist_paddr == 0)
        return 0;
    const struct hvm_modlist_entry *ml = phys(si.modlist_paddr);
    n = si.nr_modules < MAX_MODULES ? si.nr_modules : MAX_MODULES;
    for (uint32_t i = 0; i < n; i++) {
        const char *name = ml[i].cmdline_paddr ? phys(ml[i].cmdline_paddr) : "";
        add_module(bi, ml[i].paddr, ml[i].size, name);
    }
    bi->mod_dropped += si.nr_modules - n;
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
