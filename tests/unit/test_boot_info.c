/* Unit tests for kernel/boot_info.c against real multiboot2 and PVH byte
 * layouts built in host memory (host pointers stand in for physical
 * addresses, as the kernel reads them through the identity map). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "boot_info.h"
#include "suites.h"

static struct boot_info bi;

static uint64_t paddr(const void *p)
{
    return (uint64_t)(uintptr_t)p;
}

static void put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, sizeof(v));
}

static void put64(uint8_t *p, uint64_t v)
{
    memcpy(p, &v, sizeof(v));
}

struct ent {
    uint64_t base, len;
    uint32_t type;
};

/* size bytes that end where an inaccessible page begins: a parser that
 * reads one byte too far faults at once, with or without ASan. */
static uint8_t *guarded(size_t size)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t span = (size + page - 1) / page * page;
    uint8_t *p =
        mmap(NULL, span + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ck_assert_ptr_ne(p, MAP_FAILED);
    ck_assert_int_eq(mprotect(p + span, page, PROT_NONE), 0);
    return p + span - size;
}

static void assert_range(uint32_t i, uint64_t base, uint64_t len, uint32_t type)
{
    ck_assert_uint_lt(i, bi.n_mem);
    ck_assert_uint_eq(bi.mem[i].base, base);
    ck_assert_uint_eq(bi.mem[i].len, len);
    ck_assert_uint_eq(bi.mem[i].type, type);
}

/* A rejected structure: -EINVAL and a one-line reason in bi.cmdline that
 * replaced whatever command line was parsed before the fault. */
static void assert_rejected(int rc, const char *not_the_cmdline)
{
    ck_assert_int_eq(rc, -EINVAL);
    ck_assert_uint_gt(strlen(bi.cmdline), 0);
    ck_assert_ptr_null(strchr(bi.cmdline, '\n'));
    if (not_the_cmdline)
        ck_assert_str_ne(bi.cmdline, not_the_cmdline);
}

/* --- Multiboot2 (specification 1.0, section 3.6) ------------------------
 * Fixed part: u32 total_size, u32 reserved. Then tags, each starting on an
 * 8-byte boundary: u32 type, u32 size (header included, padding excluded).
 * Type 0 with size 8 ends the list. */
enum {
    MB2_END = 0,
    MB2_CMDLINE = 1,
    MB2_LOADER_NAME = 2,
    MB2_MODULE = 3,
    MB2_MEMINFO = 4,
    MB2_MMAP = 6
};

static struct {
    _Alignas(8) uint8_t b[8192];
    uint32_t len;
} mb;

static void mb2_begin(void)
{
    memset(&mb, 0, sizeof(mb));
    mb.len = 8;
}

/* Append a tag and pad to the next 8-byte boundary; return its offset. */
static uint32_t mb2_tag(uint32_t type, const void *body, uint32_t body_len)
{
    uint32_t off = mb.len;
    ck_assert_uint_le(off + 8 + body_len + 7, sizeof(mb.b));
    put32(mb.b + off, type);
    put32(mb.b + off + 4, 8 + body_len);
    if (body_len)
        memcpy(mb.b + off + 8, body, body_len);
    mb.len = (off + 8 + body_len + 7) & ~7u;
    return off;
}

/* The end tag, then total_size; return the structure. */
static const void *mb2_finish(void)
{
    mb2_tag(MB2_END, NULL, 0);
    put32(mb.b, mb.len);
    return mb.b;
}

static void mb2_cmdline(const char *s)
{
    mb2_tag(MB2_CMDLINE, s, (uint32_t)strlen(s) + 1);
}

/* Type 3: u32 mod_start, u32 mod_end, NUL-terminated string. */
static void mb2_module(uint32_t start, uint32_t end, const char *name)
{
    uint8_t body[256];
    size_t n = strlen(name) + 1;
    ck_assert_uint_le(8 + n, sizeof(body));
    put32(body, start);
    put32(body + 4, end);
    memcpy(body + 8, name, n);
    mb2_tag(MB2_MODULE, body, (uint32_t)(8 + n));
}

/* Type 4: u32 mem_lower, u32 mem_upper (KiB). */
static void mb2_meminfo(void)
{
    uint8_t body[8];
    put32(body, 639);
    put32(body + 4, 523264);
    mb2_tag(MB2_MEMINFO, body, sizeof(body));
}

/* Type 6: u32 entry_size, u32 entry_version (0), then entries of
 * entry_size bytes: u64 base_addr, u64 length, u32 type, u32 reserved. */
static void mb2_mmap(uint32_t entry_size, const struct ent *e, uint32_t n)
{
    static uint8_t body[8 + 128 * 48];
    ck_assert_uint_le(8 + (size_t)n * entry_size, sizeof(body));
    memset(body, 0, sizeof(body));
    put32(body, entry_size);
    put32(body + 4, 0);
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *p = body + 8 + (size_t)i * entry_size;
        put64(p, e[i].base);
        put64(p + 8, e[i].len);
        put32(p + 16, e[i].type);
    }
    mb2_tag(MB2_MMAP, body, 8 + n * entry_size);
}

/* A QEMU-like map: RAM below 640 KiB, reserved BIOS area, RAM, ACPI, and
 * RAM above 4 GiB. */
static const struct ent qemu_map[] = {
    {0x0, 0x9fc00, 1},         {0x9fc00, 0x400, 2},      {0xf0000, 0x10000, 2},
    {0x100000, 0x7fee0000, 1}, {0x7ffe0000, 0x20000, 3}, {0x100000000, 0x40000000, 1},
};
#define QEMU_MAP_N 6u
#define QEMU_MAP_USABLE (0x9fc00ull + 0x7fee0000ull + 0x40000000ull)

START_TEST(mb2_full_layout)
{
    mb2_begin();
    mb2_cmdline("quiet ip=10.0.0.2 -- serve");
    mb2_module(0x200000, 0x201234, "/boot/initrd.img");
    mb2_meminfo(); /* unrelated: must be skipped */
    mb2_mmap(24, qemu_map, QEMU_MAP_N);
    mb2_module(0x300000, 0x300000, "empty");
    const void *mbi = mb2_finish();

    ck_assert_int_eq(boot_info_from_multiboot2(&bi, mbi), 0);
    ck_assert_int_eq(bi.loader, LOADER_MULTIBOOT2);
    ck_assert_str_eq(bi.cmdline, "quiet ip=10.0.0.2 -- serve");
    ck_assert_uint_eq(bi.n_mem, QEMU_MAP_N);
    for (uint32_t i = 0; i < QEMU_MAP_N; i++)
        assert_range(i, qemu_map[i].base, qemu_map[i].len, qemu_map[i].type);
    ck_assert_uint_eq(bi.n_mod, 2);
    ck_assert_uint_eq(bi.mod[0].start, 0x200000);
    ck_assert_uint_eq(bi.mod[0].end, 0x201234);
    ck_assert_str_eq(bi.mod[0].name, "/boot/initrd.img");
    ck_assert_uint_eq(bi.mod[1].start, 0x300000);
    ck_assert_uint_eq(bi.mod[1].end, 0x300000);
    ck_assert_str_eq(bi.mod[1].name, "empty");
    ck_assert_uint_eq(boot_info_usable_bytes(&bi), QEMU_MAP_USABLE);
}
END_TEST

START_TEST(mb2_unrelated_tags_and_padding_skipped)
{
    /* Odd-sized tags force padding; an unknown type must be stepped over. */
    uint8_t odd[13];
    memset(odd, 0xee, sizeof(odd));
    mb2_begin();
    mb2_tag(MB2_LOADER_NAME, "GRUB 2.06", 10);
    mb2_tag(0x99, odd, sizeof(odd));
    mb2_meminfo();
    mb2_mmap(24, qemu_map, 3);
    mb2_tag(0x55, odd, 1);
    mb2_cmdline("x");
    const void *mbi = mb2_finish();

    ck_assert_int_eq(boot_info_from_multiboot2(&bi, mbi), 0);
    ck_assert_uint_eq(bi.n_mem, 3);
    assert_range(2, qemu_map[2].base, qemu_map[2].len, qemu_map[2].type);
    ck_assert_str_eq(bi.cmdline, "x");
    ck_assert_uint_eq(bi.n_mod, 0);
}
END_TEST

START_TEST(mb2_larger_entry_size)
{
    /* entry_size may grow in later versions: step by it, not by 24. */
    mb2_begin();
    mb2_mmap(32, qemu_map, QEMU_MAP_N);
    const void *mbi = mb2_finish();

    ck_assert_int_eq(boot_info_from_multiboot2(&bi, mbi), 0);
    ck_assert_uint_eq(bi.n_mem, QEMU_MAP_N);
    for (uint32_t i = 0; i < QEMU_MAP_N; i++)
        assert_range(i, qemu_map[i].base, qemu_map[i].len, qemu_map[i].type);
}
END_TEST

START_TEST(mb2_end_tag_stops_parsing)
{
    mb2_begin();
    mb2_mmap(24, qemu_map, 2);
    mb2_tag(MB2_END, NULL, 0);
    mb2_cmdline("after the end");
    mb2_mmap(24, qemu_map + 2, 2);
    put32(mb.b, mb.len); /* total_size covers the tags after the end tag */

    ck_assert_int_eq(boot_info_from_multiboot2(&bi, mb.b), 0);
    ck_assert_str_eq(bi.cmdline, "");
    ck_assert_uint_eq(bi.n_mem, 2);
}
END_TEST

START_TEST(mb2_without_cmdline_or_modules)
{
    memset(&bi, 0x5a, sizeof(bi)); /* nothing stale may survive */
    mb2_begin();
    mb2_mmap(24, qemu_map, 1);
    const void *mbi = mb2_finish();

    ck_assert_int_eq(boot_info_from_multiboot2(&bi, mbi), 0);
    ck_assert_str_eq(bi.cmdline, "");
    ck_assert_uint_eq(bi.n_mod, 0);
    ck_assert_uint_eq(bi.n_mem, 1);
}
END_TEST

START_TEST(mb2_modules_capped_and_names_truncated)
{
    char longname[101];
    memset(longname, 'n', 100);
    longname[100] = '\0';
    mb2_begin();
    mb2_module(0x1000, 0x2000, longname);
    for (uint32_t i = 1; i < MAX_MODULES + 3; i++) {
        char name[16];
        snprintf(name, sizeof(name), "mod%u", i);
        mb2_module(0x1000 * (i + 1), 0x1000 * (i + 2), name);
    }
    mb2_mmap(24, qemu_map, 1);
    const void *mbi = mb2_finish();

    ck_assert_int_eq(boot_info_from_multiboot2(&bi, mbi), 0);
    ck_assert_uint_eq(bi.n_mod, MAX_MODULES);
    ck_assert_uint_eq(strlen(bi.mod[0].name), sizeof(bi.mod[0].name) - 1);
    ck_assert_int_eq(bi.mod[0].name[0], 'n');
    char name[16];
    snprintf(name, sizeof(name), "mod%u", MAX_MODULES - 1);
    ck_assert_str_eq(bi.mod[MAX_MODULES - 1].name, name);
    ck_assert_uint_eq(bi.mod[MAX_MODULES - 1].start, 0x1000 * MAX_MODULES);
    ck_assert_uint_eq(bi.n_mem, 1); /* the mmap after the extra modules counts */
    ck_assert_uint_eq(bi.mod_dropped, 3);
    ck_assert_uint_eq(bi.mem_dropped, 0);
}
END_TEST

START_TEST(mb2_mmap_capped)
{
    static struct ent many[MAX_MEMMAP + 20];
    for (uint32_t i = 0; i < MAX_MEMMAP + 20; i++)
        many[i] = (struct ent){0x100000ull * (i + 1), 0x80000, i % 3 ? 1 : 2};
    mb2_begin();
    mb2_mmap(24, many, MAX_MEMMAP + 20);
    mb2_cmdline("still read");
    const void *mbi = mb2_finish();

    ck_assert_int_eq(boot_info_from_multiboot2(&bi, mbi), 0);
    ck_assert_uint_eq(bi.n_mem, MAX_MEMMAP);
    assert_range(0, many[0].base, many[0].len, many[0].type);
    assert_range(MAX_MEMMAP - 1, many[MAX_MEMMAP - 1].base, many[MAX_MEMMAP - 1].len,
                 many[MAX_MEMMAP - 1].type);
    ck_assert_str_eq(bi.cmdline, "still read");
    ck_assert_uint_eq(bi.mem_dropped, 20);
    ck_assert_uint_eq(bi.mod_dropped, 0);
}
END_TEST

START_TEST(mb2_no_mmap_rejected)
{
    mb2_begin();
    mb2_cmdline("quiet");
    mb2_meminfo();
    const void *mbi = mb2_finish();

    assert_rejected(boot_info_from_multiboot2(&bi, mbi), "quiet");
    ck_assert_uint_eq(bi.n_mem, 0);
}
END_TEST

START_TEST(mb2_tag_overrun_rejected)
{
    mb2_begin();
    mb2_cmdline("secret");
    mb2_mmap(24, qemu_map, 2);
    uint32_t off = mb2_tag(MB2_MODULE, "\0\0\0\0\0\0\0\0x", 10);
    put32(mb.b + off + 4, 4096); /* size runs past the end of the structure */
    mb2_tag(MB2_END, NULL, 0);
    put32(mb.b, mb.len);

    assert_rejected(boot_info_from_multiboot2(&bi, mb.b), "secret");
}
END_TEST

START_TEST(mb2_tag_size_below_header_rejected)
{
    /* Sizes 0 and 4 cannot hold the tag header; 0 would loop forever. */
    const uint32_t sizes[] = {0, 4};
    for (size_t i = 0; i < 2; i++) {
        mb2_begin();
        mb2_mmap(24, qemu_map, 2);
        uint32_t off = mb2_tag(0x99, "abcdefgh", 8);
        put32(mb.b + off + 4, sizes[i]);
        const void *mbi = mb2_finish();
        assert_rejected(boot_info_from_multiboot2(&bi, mbi), NULL);
    }
}
END_TEST

START_TEST(mb2_entry_size_too_small_rejected)
{
    const uint32_t sizes[] = {0, 8, 16, 20};
    for (size_t i = 0; i < 4; i++) {
        mb2_begin();
        mb2_cmdline("quiet");
        mb2_mmap(sizes[i], qemu_map, sizes[i] ? 3 : 0);
        const void *mbi = mb2_finish();
        assert_rejected(boot_info_from_multiboot2(&bi, mbi), "quiet");
    }
}
END_TEST

START_TEST(mb2_tag_size_wrapping_rejected)
{
    /* offset + size wraps past 2^32 to a number inside the structure: the
     * tag still overruns it. Its body would otherwise be read as a memory
     * map for 4 GiB, into the guard page after the structure. */
    const uint32_t sizes[] = {0xffffffd8u, 0xfffffff8u, 0xffffffffu};
    for (size_t i = 0; i < 3; i++) {
        mb2_begin();
        mb2_mmap(24, qemu_map, 1); /* offsets 8..48 */
        uint32_t off = mb.len;
        mb2_mmap(24, qemu_map + 1, 1);
        put32(mb.b + off + 4, sizes[i]);
        mb2_finish();
        uint8_t *info = guarded(mb.len);
        memcpy(info, mb.b, mb.len);
        assert_rejected(boot_info_from_multiboot2(&bi, info), NULL);
    }
}
END_TEST

START_TEST(mb2_tag_wrapping_back_to_an_end_rejected)
{
    /* A command-line tag whose size wraps the offset back onto an end tag
     * hidden in an earlier tag's body: the structure is malformed, not a
     * valid one with that command line. */
    uint8_t body[16] = {0}; /* type 0, size 8: an end tag */
    put32(body + 4, 8);
    mb2_begin();
    mb2_mmap(24, qemu_map, 1);
    uint32_t hidden = mb2_tag(0x99, body, sizeof(body)) + 8;
    uint32_t off = mb2_tag(MB2_CMDLINE, "evil", 5);
    put32(mb.b + off + 4, 0u - (off - hidden));
    mb2_finish();

    assert_rejected(boot_info_from_multiboot2(&bi, mb.b), "evil");
}
END_TEST

START_TEST(mb2_entry_size_beyond_tag_reads_nothing)
{
    /* A huge entry_size makes e + entry_size wrap: no entry fits the tag,
     * so none is read, and the structure has no memory map. */
    const uint32_t sizes[] = {0xfffffffcu, 0xffffffe8u, 0x80000000u, 8 + 2 * 24 + 8};
    for (size_t i = 0; i < 4; i++) {
        mb2_begin();
        mb2_cmdline("quiet");
        uint32_t off = mb.len;
        mb2_mmap(24, qemu_map, 2);
        put32(mb.b + off + 8, sizes[i]);
        mb2_finish();
        assert_rejected(boot_info_from_multiboot2(&bi, mb.b), "quiet");
        ck_assert_uint_eq(bi.n_mem, 0);
    }
}
END_TEST

START_TEST(mb2_total_size_too_short_rejected)
{
    const uint32_t totals[] = {0, 7, 8};
    for (size_t i = 0; i < 3; i++) {
        mb2_begin();
        mb2_mmap(24, qemu_map, 2);
        mb2_finish();
        put32(mb.b, totals[i]);
        assert_rejected(boot_info_from_multiboot2(&bi, mb.b), NULL);
    }
}
END_TEST

/* --- PVH (Xen public/arch-x86/hvm/start_info.h) ----------------------- */
enum {
    SI_MAGIC = 0,
    SI_VERSION = 4,
    SI_FLAGS = 8,
    SI_NR_MODULES = 12,
    SI_MODLIST = 16,
    SI_CMDLINE = 24,
    SI_RSDP = 32,
    SI_MEMMAP = 40,
    SI_MEMMAP_ENTRIES = 48,
    SI_SIZE = 56
};
enum { MOD_PADDR = 0, MOD_SIZE = 8, MOD_CMDLINE = 16, MOD_ENTRY = 32 };
enum { MM_ADDR = 0, MM_SIZE = 8, MM_TYPE = 16, MM_ENTRY = 24 };
#define PVH_MAGIC 0x336ec578u

static struct {
    _Alignas(8) uint8_t si[SI_SIZE];
    _Alignas(8) uint8_t memmap[(MAX_MEMMAP + 20) * MM_ENTRY];
    _Alignas(8) uint8_t modlist[(MAX_MODULES + 3) * MOD_ENTRY];
    char cmdline[3 * CMDLINE_MAX];
    char names[MAX_MODULES + 3][128];
} pvh;

static void pvh_begin(uint32_t magic, uint32_t version)
{
    memset(&pvh, 0, sizeof(pvh));
    put32(pvh.si + SI_MAGIC, magic);
    put32(pvh.si + SI_VERSION, version);
    put32(pvh.si + SI_FLAGS, 0);
    put64(pvh.si + SI_RSDP, 0xe0000);
}

static void pvh_cmdline(const char *s)
{
    ck_assert_uint_lt(strlen(s), sizeof(pvh.cmdline));
    strcpy(pvh.cmdline, s);
    put64(pvh.si + SI_CMDLINE, paddr(pvh.cmdline));
}

static void pvh_memmap(const struct ent *e, uint32_t n)
{
    ck_assert_uint_le((size_t)n * MM_ENTRY, sizeof(pvh.memmap));
    for (uint32_t i = 0; i < n; i++) {
        uint8_t *p = pvh.memmap + (size_t)i * MM_ENTRY;
        put64(p + MM_ADDR, e[i].base);
        put64(p + MM_SIZE, e[i].len);
        put32(p + MM_TYPE, e[i].type);
    }
    put64(pvh.si + SI_MEMMAP, paddr(pvh.memmap));
    put32(pvh.si + SI_MEMMAP_ENTRIES, n);
}

/* Module i; a NULL name leaves its cmdline_paddr 0. */
static void pvh_module(uint32_t i, uint64_t addr, uint64_t size, const char *name)
{
    uint8_t *p = pvh.modlist + (size_t)i * MOD_ENTRY;
    put64(p + MOD_PADDR, addr);
    put64(p + MOD_SIZE, size);
    if (name) {
        snprintf(pvh.names[i], sizeof(pvh.names[i]), "%s", name);
        put64(p + MOD_CMDLINE, paddr(pvh.names[i]));
    }
    put64(pvh.si + SI_MODLIST, paddr(pvh.modlist));
    put32(pvh.si + SI_NR_MODULES, i + 1);
}

START_TEST(pvh_full_layout)
{
    pvh_begin(PVH_MAGIC, 1);
    pvh_cmdline("console=ttyS0 -- -v");
    pvh_memmap(qemu_map, QEMU_MAP_N);
    pvh_module(0, 0x1000000, 0x5000, "rootfs.tar");
    pvh_module(1, 0x2000000, 0x10, NULL);

    ck_assert_int_eq(boot_info_from_pvh(&bi, pvh.si), 0);
    ck_assert_int_eq(bi.loader, LOADER_PVH);
    ck_assert_str_eq(bi.cmdline, "console=ttyS0 -- -v");
    ck_assert_uint_eq(bi.n_mem, QEMU_MAP_N);
    for (uint32_t i = 0; i < QEMU_MAP_N; i++)
        assert_range(i, qemu_map[i].base, qemu_map[i].len, qemu_map[i].type);
    ck_assert_uint_eq(bi.n_mod, 2);
    ck_assert_uint_eq(bi.mod[0].start, 0x1000000);
    ck_assert_uint_eq(bi.mod[0].end, 0x1005000); /* one past the last byte */
    ck_assert_str_eq(bi.mod[0].name, "rootfs.tar");
    ck_assert_uint_eq(bi.mod[1].start, 0x2000000);
    ck_assert_uint_eq(bi.mod[1].end, 0x2000010);
    ck_assert_str_eq(bi.mod[1].name, "");
    ck_assert_uint_eq(boot_info_usable_bytes(&bi), QEMU_MAP_USABLE);
}
END_TEST

START_TEST(pvh_newer_version_accepted)
{
    /* Later versions only append fields, so version 1's are still valid. */
    pvh_begin(PVH_MAGIC, 2);
    pvh_memmap(qemu_map, 2);
    ck_assert_int_eq(boot_info_from_pvh(&bi, pvh.si), 0);
    ck_assert_uint_eq(bi.n_mem, 2);
}
END_TEST

START_TEST(pvh_optional_fields_absent)
{
    memset(&bi, 0x5a, sizeof(bi));
    pvh_begin(PVH_MAGIC, 1);
    pvh_memmap(qemu_map, 1);
    put32(pvh.si + SI_NR_MODULES, 3); /* a count but no list: no modules */

    ck_assert_int_eq(boot_info_from_pvh(&bi, pvh.si), 0);
    ck_assert_str_eq(bi.cmdline, "");
    ck_assert_uint_eq(bi.n_mod, 0);
    ck_assert_uint_eq(bi.n_mem, 1);
}
END_TEST

START_TEST(pvh_bad_magic_rejected)
{
    pvh_begin(0x36d76289u, 1); /* the multiboot2 magic, not PVH's */
    pvh_cmdline("quiet");
    pvh_memmap(qemu_map, 2);
    assert_rejected(boot_info_from_pvh(&bi, pvh.si), "quiet");
}
END_TEST

START_TEST(pvh_version0_rejected)
{
    pvh_begin(PVH_MAGIC, 0);
    pvh_cmdline("quiet");
    pvh_memmap(qemu_map, 2); /* fields a version 0 loader never wrote */
    assert_rejected(boot_info_from_pvh(&bi, pvh.si), "quiet");
}
END_TEST

START_TEST(pvh_empty_memmap_rejected)
{
    pvh_begin(PVH_MAGIC, 1);
    pvh_cmdline("quiet");
    pvh_memmap(qemu_map, 0);
    assert_rejected(boot_info_from_pvh(&bi, pvh.si), "quiet");
    ck_assert_uint_eq(bi.n_mem, 0);
}
END_TEST

START_TEST(pvh_memmap_and_modules_capped)
{
    static struct ent many[MAX_MEMMAP + 20];
    for (uint32_t i = 0; i < MAX_MEMMAP + 20; i++)
        many[i] = (struct ent){0x200000ull * i, 0x100000, i % 2 ? 1 : 2};
    pvh_begin(PVH_MAGIC, 1);
    pvh_memmap(many, MAX_MEMMAP + 20);
    for (uint32_t i = 0; i < MAX_MODULES + 3; i++) {
        char name[16];
        snprintf(name, sizeof(name), "m%u", i);
        pvh_module(i, 0x1000000 * (i + 1), 0x1000, name);
    }

    ck_assert_int_eq(boot_info_from_pvh(&bi, pvh.si), 0);
    ck_assert_uint_eq(bi.n_mem, MAX_MEMMAP);
    assert_range(MAX_MEMMAP - 1, many[MAX_MEMMAP - 1].base, many[MAX_MEMMAP - 1].len,
                 many[MAX_MEMMAP - 1].type);
    ck_assert_uint_eq(bi.n_mod, MAX_MODULES);
    ck_assert_str_eq(bi.mod[0].name, "m0");
    ck_assert_uint_eq(bi.mod[MAX_MODULES - 1].start, 0x1000000ull * MAX_MODULES);
    ck_assert_uint_eq(boot_info_usable_bytes(&bi), 0x100000ull * (MAX_MEMMAP / 2));
    ck_assert_uint_eq(bi.mem_dropped, 20);
    ck_assert_uint_eq(bi.mod_dropped, 3);
}
END_TEST

START_TEST(pvh_counts_beyond_the_caps_not_read)
{
    /* The lists hold exactly as many entries as struct boot_info keeps,
     * each followed by a guard page; the counts claim far more. */
    uint8_t *mm = guarded((size_t)MAX_MEMMAP * MM_ENTRY);
    uint8_t *ml = guarded((size_t)MAX_MODULES * MOD_ENTRY);
    for (uint32_t i = 0; i < MAX_MEMMAP; i++) {
        put64(mm + i * MM_ENTRY + MM_ADDR, 0x200000ull * i);
        put64(mm + i * MM_ENTRY + MM_SIZE, 0x100000);
        put32(mm + i * MM_ENTRY + MM_TYPE, 1);
    }
    for (uint32_t i = 0; i < MAX_MODULES; i++) {
        put64(ml + i * MOD_ENTRY + MOD_PADDR, 0x1000000ull * (i + 1));
        put64(ml + i * MOD_ENTRY + MOD_SIZE, 0x1000);
    }
    pvh_begin(PVH_MAGIC, 1);
    put64(pvh.si + SI_MEMMAP, paddr(mm));
    put32(pvh.si + SI_MEMMAP_ENTRIES, UINT32_MAX);
    put64(pvh.si + SI_MODLIST, paddr(ml));
    put32(pvh.si + SI_NR_MODULES, 1000);

    ck_assert_int_eq(boot_info_from_pvh(&bi, pvh.si), 0);
    ck_assert_uint_eq(bi.n_mem, MAX_MEMMAP);
    ck_assert_uint_eq(bi.mem_dropped, UINT32_MAX - MAX_MEMMAP);
    assert_range(MAX_MEMMAP - 1, 0x200000ull * (MAX_MEMMAP - 1), 0x100000, 1);
    ck_assert_uint_eq(bi.n_mod, MAX_MODULES);
    ck_assert_uint_eq(bi.mod_dropped, 1000 - MAX_MODULES);
    ck_assert_uint_eq(bi.mod[MAX_MODULES - 1].start, 0x1000000ull * MAX_MODULES);
}
END_TEST

START_TEST(pvh_memmap_at_address_zero_rejected)
{
    /* Entries but no table: nothing to read at physical address 0. */
    pvh_begin(PVH_MAGIC, 1);
    pvh_cmdline("quiet");
    put32(pvh.si + SI_MEMMAP_ENTRIES, 3);
    assert_rejected(boot_info_from_pvh(&bi, pvh.si), "quiet");
    ck_assert_uint_eq(bi.n_mem, 0);
}
END_TEST

START_TEST(pvh_memmap_of_empty_ranges_rejected)
{
    /* Entries, but none with a length: no memory, as in multiboot2. */
    static const struct ent empty[] = {{0x0, 0, 1}, {0x100000, 0, 1}, {0x200000, 0, 2}};
    pvh_begin(PVH_MAGIC, 1);
    pvh_cmdline("quiet");
    pvh_memmap(empty, 3);
    assert_rejected(boot_info_from_pvh(&bi, pvh.si), "quiet");
    ck_assert_uint_eq(bi.n_mem, 0);
}
END_TEST

START_TEST(pvh_module_wrapping_dropped_and_counted)
{
    /* paddr + size past 2^64 is no range of memory: dropped, counted. */
    pvh_begin(PVH_MAGIC, 1);
    pvh_memmap(qemu_map, 1);
    pvh_module(0, 0xfffffffffffff000ull, 0x2000, "wraps");
    pvh_module(1, 0x1000000, 0x1000, "fine");

    ck_assert_int_eq(boot_info_from_pvh(&bi, pvh.si), 0);
    ck_assert_uint_eq(bi.n_mod, 1);
    ck_assert_str_eq(bi.mod[0].name, "fine");
    ck_assert_uint_eq(bi.mod_dropped, 1);
}
END_TEST

START_TEST(pvh_long_cmdline_truncated)
{
    static char text[3 * CMDLINE_MAX - 1];
    memset(text, 'c', sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    pvh_begin(PVH_MAGIC, 1);
    pvh_cmdline(text);
    pvh_memmap(qemu_map, 1);

    ck_assert_int_eq(boot_info_from_pvh(&bi, pvh.si), 0);
    ck_assert_uint_eq(strlen(bi.cmdline), CMDLINE_MAX - 1);
    ck_assert_int_eq(strncmp(bi.cmdline, text, CMDLINE_MAX - 1), 0);
}
END_TEST

START_TEST(usable_bytes_sums_only_type1)
{
    memset(&bi, 0, sizeof(bi));
    ck_assert_uint_eq(boot_info_usable_bytes(&bi), 0);
    const struct mem_range m[] = {{0x0, 0x1000, 1},        {0x1000, 0x5000, 2},
                                  {0x100000, 0x100000, 1}, {0x200000, 0x7000, 3},
                                  {0x300000, 0x9000, 4},   {1ull << 32, 1ull << 34, 1}};
    bi.n_mem = 6;
    memcpy(bi.mem, m, sizeof(m));
    ck_assert_uint_eq(boot_info_usable_bytes(&bi), 0x1000ull + 0x100000 + (1ull << 34));
    bi.n_mem = 2; /* entries past n_mem do not count */
    ck_assert_uint_eq(boot_info_usable_bytes(&bi), 0x1000);
}
END_TEST

Suite *boot_info_suite(void)
{
    Suite *s = suite_create("boot_info");
    TCase *tc = tcase_create("boot_info");
    tcase_add_test(tc, mb2_full_layout);
    tcase_add_test(tc, mb2_unrelated_tags_and_padding_skipped);
    tcase_add_test(tc, mb2_larger_entry_size);
    tcase_add_test(tc, mb2_end_tag_stops_parsing);
    tcase_add_test(tc, mb2_without_cmdline_or_modules);
    tcase_add_test(tc, mb2_modules_capped_and_names_truncated);
    tcase_add_test(tc, mb2_mmap_capped);
    tcase_add_test(tc, mb2_no_mmap_rejected);
    tcase_add_test(tc, mb2_tag_overrun_rejected);
    tcase_add_test(tc, mb2_tag_size_below_header_rejected);
    tcase_add_test(tc, mb2_entry_size_too_small_rejected);
    tcase_add_test(tc, mb2_tag_size_wrapping_rejected);
    tcase_add_test(tc, mb2_tag_wrapping_back_to_an_end_rejected);
    tcase_add_test(tc, mb2_entry_size_beyond_tag_reads_nothing);
    tcase_add_test(tc, mb2_total_size_too_short_rejected);
    tcase_add_test(tc, pvh_full_layout);
    tcase_add_test(tc, pvh_newer_version_accepted);
    tcase_add_test(tc, pvh_optional_fields_absent);
    tcase_add_test(tc, pvh_bad_magic_rejected);
    tcase_add_test(tc, pvh_version0_rejected);
    tcase_add_test(tc, pvh_empty_memmap_rejected);
    tcase_add_test(tc, pvh_memmap_and_modules_capped);
    tcase_add_test(tc, pvh_counts_beyond_the_caps_not_read);
    tcase_add_test(tc, pvh_memmap_at_address_zero_rejected);
    tcase_add_test(tc, pvh_memmap_of_empty_ranges_rejected);
    tcase_add_test(tc, pvh_module_wrapping_dropped_and_counted);
    tcase_add_test(tc, pvh_long_cmdline_truncated);
    tcase_add_test(tc, usable_bytes_sums_only_type1);
    suite_add_tcase(s, tc);
    return s;
}
