/* libFuzzer target: the loader's boot information (kernel/boot_info.c).
 * Byte 0 picks the format; the rest is
 *   multiboot2: the information structure itself, in a heap block of its
 *     exact size (a total_size larger than the block is cut to it: the
 *     loader's own size is the one thing the parser must trust);
 *   PVH: the 56-byte hvm_start_info, then the memory map table, the module
 *     list and the bytes strings are taken from. Its addresses are made to
 *     point into heap blocks that hold exactly MAX_MEMMAP map entries and
 *     MAX_MODULES modules, whatever the counts say, so a parser that reads
 *     past its caps is caught; a zero address stays zero.
 * The result must be 0 or -EINVAL, within the caps, with NUL-terminated
 * strings and modules that end at or after their start; otherwise the
 * target aborts. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "boot_info.h"

enum { SI_NR_MODULES = 12, SI_MODLIST = 16, SI_CMDLINE = 24, SI_MEMMAP = 40, SI_SIZE = 56 };
enum { MOD_CMDLINE = 16, MOD_ENTRY = 32, MM_ENTRY = 24 };

static struct boot_info bi;

static uint64_t get64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static void set_addr(uint8_t *field, const void *to)
{
    uint64_t v = get64(field) ? (uint64_t)(uintptr_t)to : 0;
    memcpy(field, &v, sizeof(v));
}

/* Bytes from the input at *off, zero-padded to len, in a block of len. */
static uint8_t *take(const uint8_t *data, size_t size, size_t *off, size_t len)
{
    uint8_t *p = calloc(1, len ? len : 1);
    size_t n = *off < size ? size - *off : 0;
    if (!p)
        abort();
    memcpy(p, data + *off, n < len ? n : len);
    *off += n < len ? n : len;
    return p;
}

static int pvh(const uint8_t *data, size_t size)
{
    size_t off = 0;
    uint8_t *si = take(data, size, &off, SI_SIZE);
    uint8_t *mm = take(data, size, &off, (size_t)MAX_MEMMAP * MM_ENTRY);
    uint8_t *ml = take(data, size, &off, (size_t)MAX_MODULES * MOD_ENTRY);
    size_t slen = off < size ? size - off : 0;
    char *strings = (char *)take(data, size, &off, slen + 1); /* NUL-terminated */
    /* A string address picks an offset into the strings. */
    set_addr(si + SI_CMDLINE, strings + get64(si + SI_CMDLINE) % (slen + 1));
    set_addr(si + SI_MEMMAP, mm);
    set_addr(si + SI_MODLIST, ml);
    for (size_t i = 0; i < MAX_MODULES; i++) {
        uint8_t *field = ml + i * MOD_ENTRY + MOD_CMDLINE;
        set_addr(field, strings + get64(field) % (slen + 1));
    }
    int rc = boot_info_from_pvh(&bi, si);
    free(si);
    free(mm);
    free(ml);
    free(strings);
    return rc;
}

static int multiboot2(const uint8_t *data, size_t size)
{
    uint8_t *mbi = malloc(size < 8 ? 8 : size);
    uint32_t total;
    if (!mbi)
        abort();
    memset(mbi, 0, size < 8 ? 8 : size);
    memcpy(mbi, data, size);
    memcpy(&total, mbi, sizeof(total));
    if (total > size) {
        total = (uint32_t)size;
        memcpy(mbi, &total, sizeof(total));
    }
    int rc = boot_info_from_multiboot2(&bi, mbi);
    free(mbi);
    return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > UINT32_MAX)
        return 0;
    memset(&bi, 0x5a, sizeof(bi));
    int rc = data[0] & 1 ? pvh(data + 1, size - 1) : multiboot2(data + 1, size - 1);
    if (rc != 0 && rc != -EINVAL)
        abort();
    if (!memchr(bi.cmdline, '\0', sizeof(bi.cmdline)))
        abort();
    if (bi.n_mem > MAX_MEMMAP || bi.n_mod > MAX_MODULES || (rc == 0 && bi.n_mem == 0))
        abort();
    for (uint32_t i = 0; i < bi.n_mem; i++)
        if (bi.mem[i].len == 0)
            abort();
    for (uint32_t i = 0; i < bi.n_mod; i++)
        if (bi.mod[i].end < bi.mod[i].start ||
            !memchr(bi.mod[i].name, '\0', sizeof(bi.mod[i].name)))
            abort();
    if (rc == 0)
        (void)boot_info_usable_bytes(&bi);
    return 0;
}
