/* blktest: a boot-test image for <libos/blk.h>. Each argument word pair is a
 * command run in order against disk 0:
 *   write SEED    fill the whole disk with the pattern for SEED
 *   verify SEED   read it all back (several ways, several threads) and compare
 *   ro SEED       the disk is read-only: writes fail with EROFS, reads work
 *   range         argument and range errors return -1 with the right errno
 *   eio SECTOR    the host fails reads of SECTOR (QEMU blkdebug): EIO for
 *                 requests that touch it, success for the rest
 *   nodisk        no disk attached: ENODEV everywhere
 *   count N       N disks are attached, and the last sector of each reads
 * Prints "blktest: PASS|FAIL name: detail" per check, then "blktest: all
 * passed" when every check held; exits 1 otherwise. */
#include <errno.h>
#include <libos/blk.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_IMAGE "blktest"
#include "../check.h"

static struct blk_info info;

/* The pattern: word 0 of a sector is its number, word 1 the seed, and every
 * other 64-bit word a mix of both (splitmix64's finalizer), little-endian.
 * tests/boot/blk.sh recomputes it on the host from the image file. */
static uint64_t mix(uint64_t seed, uint64_t sector, uint64_t i)
{
    uint64_t z = seed * 0x9e3779b97f4a7c15ull + sector * 0x100000001b3ull + i;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void fill(uint8_t *p, uint64_t sector, size_t n, uint64_t seed)
{
    size_t words = info.sector_size / 8;
    for (size_t s = 0; s < n; s++, sector++) {
        for (size_t i = 0; i < words; i++) {
            uint64_t v = i == 0 ? sector : i == 1 ? seed : mix(seed, sector, i);
            memcpy(p + s * info.sector_size + i * 8, &v, 8);
        }
    }
}

/* The first sector in [sector, sector+n) whose content is wrong, or -1. */
static int64_t mismatch(const uint8_t *p, uint64_t sector, size_t n, uint64_t seed)
{
    uint8_t want[4096];
    for (size_t s = 0; s < n; s++) {
        fill(want, sector + s, 1, seed);
        if (memcmp(p + s * info.sector_size, want, info.sector_size))
            return (int64_t)(sector + s);
    }
    return -1;
}

static uint8_t static_buf[64 * 4096];

/* Write the whole disk in uneven pieces from three kinds of memory: the heap
 * (virtual, physically scattered), the stack, and .bss (identity-mapped),
 * at odd offsets so descriptors start and end mid-page. */
static void cmd_write(uint64_t seed)
{
    static const size_t sizes[] = {1, 7, 600, 64, 3, 129, 1000, 2};
    size_t max = 1000 * (size_t)info.sector_size + 3;
    uint8_t *heap = malloc(max);
    uint8_t stack[8 * 512 + 5];
    uint64_t s = 0;
    int err = 0, k = 0;
    while (s < info.sectors && !err) {
        size_t n = sizes[k++ % 8];
        if (n > info.sectors - s)
            n = (size_t)(info.sectors - s);
        uint8_t *p;
        if (n * info.sector_size <= sizeof(stack) - 5)
            p = stack + 5;
        else if (n * info.sector_size <= sizeof(static_buf) - 1)
            p = static_buf + 1;
        else
            p = heap + 3;
        fill(p, s, n, seed);
        if (blk_write(0, s, p, n) < 0)
            err = errno;
        s += n;
    }
    free(heap);
    check(!err && s == info.sectors, "write-whole-disk", "%llu sectors, seed %llu%s%s",
          (unsigned long long)s, (unsigned long long)seed, err ? ", error " : "",
          err ? strerror(err) : "");
    check(blk_flush(0) == 0, "flush", "%s", "");
}

static volatile int stop_counter;
static volatile unsigned long counter;

static void *count_up(void *arg)
{
    (void)arg;
    while (!stop_counter) {
        counter++;
        sched_yield();
    }
    return NULL;
}

struct part {
    uint64_t first, n, seed;
    int64_t bad;
    int err;
};

/* One of many threads verifying a slice of the disk 5 sectors at a time:
 * together they have more requests in flight than the queue has
 * descriptors, so some must wait for others to complete. */
static void *verify_part(void *arg)
{
    struct part *pt = arg;
    uint8_t buf[5 * 4096];
    pt->bad = -1;
    for (uint64_t s = pt->first; s < pt->first + pt->n && pt->bad < 0; s += 5) {
        size_t n = pt->first + pt->n - s < 5 ? (size_t)(pt->first + pt->n - s) : 5;
        if (blk_read(0, s, buf, n) < 0) {
            pt->err = errno;
            break;
        }
        pt->bad = mismatch(buf, s, n, pt->seed);
    }
    return NULL;
}

static void cmd_verify(uint64_t seed)
{
    /* The whole disk in one call into one heap buffer, while a counter
     * thread runs: it must make progress while this thread waits. */
    size_t bytes = (size_t)info.sectors * info.sector_size;
    uint8_t *all = malloc(bytes + 1);
    pthread_t t;
    stop_counter = 0;
    pthread_create(&t, NULL, count_up, NULL);
    unsigned long before = counter;
    int r = blk_read(0, 0, all + 1, (size_t)info.sectors);
    unsigned long ran = counter - before;
    stop_counter = 1;
    pthread_join(t, NULL);
    int64_t bad = r < 0 ? -2 : mismatch(all + 1, 0, (size_t)info.sectors, seed);
    if (bad == -1)
        check(1, "verify-whole-disk", "%llu sectors in one read", (unsigned long long)info.sectors);
    else if (r < 0)
        check(0, "verify-whole-disk", "blk_read failed: %s", strerror(errno));
    else
        check(0, "verify-whole-disk", "sector %lld differs", (long long)bad);
    check(r == 0 && ran > 0, "read-blocks-only-caller",
          "a counter thread ran %lu times during the read", ran);
    free(all);

    /* Many threads, each a slice of the disk, in small reads. */
    enum { T = 48 };
    static struct part parts[T];
    pthread_t th[T];
    uint64_t q = info.sectors / T;
    for (int i = 0; i < T; i++) {
        uint64_t n = i == T - 1 ? info.sectors - (T - 1) * q : q;
        parts[i] = (struct part){q * (uint64_t)i, n, seed, -1, 0};
        pthread_create(&th[i], NULL, verify_part, &parts[i]);
    }
    int ok = 1;
    for (int i = 0; i < T; i++) {
        pthread_join(th[i], NULL);
        ok &= parts[i].bad == -1 && parts[i].err == 0;
    }
    check(ok, "verify-48-threads", "%d threads x %llu sectors", T, (unsigned long long)q);

    /* The last sector alone, into a stack buffer. */
    uint8_t last[4096 + 7];
    r = blk_read(0, info.sectors - 1, last + 7, 1);
    check(r == 0 && mismatch(last + 7, info.sectors - 1, 1, seed) == -1, "verify-last-sector",
          "sector %llu", (unsigned long long)(info.sectors - 1));
}

static void expect_err(int r, int want, const char *name)
{
    int e = errno;
    if (r == -1 && e == want)
        check(1, name, "-1, %s", strerror(e));
    else
        check(0, name, "returned %d, errno %d (%s); want -1, %s", r, e, strerror(e),
              strerror(want));
}

static void cmd_ro(uint64_t seed)
{
    static uint8_t buf[2 * 4096];
    check(info.read_only, "ro-info", "blk_info says read_only=%d", info.read_only);
    errno = 0;
    expect_err(blk_write(0, 0, buf, 1), EROFS, "ro-write-erofs");
    int r = blk_read(0, 0, buf, 1);
    int r2 = blk_read(0, info.sectors - 1, buf + info.sector_size, 1);
    check(r == 0 && r2 == 0 && mismatch(buf, 0, 1, seed) == -1 &&
              mismatch(buf + info.sector_size, info.sectors - 1, 1, seed) == -1,
          "ro-read-works", "first and last sectors hold seed %llu", (unsigned long long)seed);
    check(blk_flush(0) == 0, "ro-flush", "%s", "");
}

/* Read-only targets for a read from the disk: a page of .rodata and the
 * page of .text that holds text_target. The device writes into the
 * buffer of a read, so it must be writable memory (W^X holds for devices
 * too): EFAULT, and the page unchanged. */
static const uint8_t ro_page[4096] __attribute__((aligned(4096))) = {[0 ... 4095] = 0xa5};

__attribute__((aligned(4096), noinline)) static int text_target(int x)
{
    return x * 3 + 1;
}

static uint64_t page_sum(const volatile uint8_t *p)
{
    uint64_t h = 1469598103934665603u;
    for (int i = 0; i < 4096; i++)
        h = (h ^ p[i]) * 1099511628211u;
    return h;
}

static void expect_not_written(const void *page, const char *name)
{
    uint64_t before = page_sum(page);
    errno = 0;
    int r = blk_read(0, 0, (void *)(uintptr_t)page, 4096 / info.sector_size);
    int e = errno;
    int same = page_sum(page) == before;
    check(r == -1 && e == EFAULT && same, name, "returned %d, errno %d (%s); page %s", r, e,
          strerror(e), same ? "unchanged" : "overwritten by the device");
}

static void cmd_range(void)
{
    static uint8_t buf[2 * 4096];
    uint64_t n = info.sectors;
    expect_err(blk_read(0, n, buf, 1), EINVAL, "range-read-past-end");
    expect_err(blk_read(0, n - 1, buf, 2), EINVAL, "range-read-overlap-end");
    expect_err(blk_write(0, n - 1, buf, 2), EINVAL, "range-write-overlap-end");
    expect_err(blk_write(0, n + 100, buf, 1), EINVAL, "range-write-past-end");
    expect_err(blk_read(0, UINT64_MAX, buf, 2), EINVAL, "range-sector-wraps");
    expect_err(blk_read(0, 0, NULL, 1), EINVAL, "range-null-buf");
    expect_err(blk_read(-1, 0, buf, 1), EINVAL, "range-negative-dev");
    expect_err(blk_read(blk_count(), 0, buf, 1), ENODEV, "range-no-such-dev");
    expect_err(blk_info(0, NULL), EINVAL, "range-info-null");
    check(blk_read(0, n, buf, 0) == 0, "range-zero-count-at-end", "%s", "");
    check(blk_read(0, n - 1, buf, 1) == 0, "range-last-sector-ok", "%s", "");
    expect_not_written(ro_page, "range-read-into-rodata-efault");
    expect_not_written((const void *)((uintptr_t)text_target & ~(uintptr_t)4095),
                       "range-read-into-text-efault");
    check(text_target(2) == 7, "range-text-intact", "%s", "");
}

static void cmd_eio(uint64_t bad)
{
    static uint8_t buf[16 * 4096];
    expect_err(blk_read(0, bad, buf, 1), EIO, "eio-read-bad-sector");
    expect_err(blk_read(0, bad > 8 ? bad - 8 : 0, buf, 16), EIO, "eio-read-spanning");
    static uint8_t last[4096];
    int r1 = blk_read(0, bad + 16, buf, 16);
    int r2 = blk_read(0, info.sectors - 1, last, 1);
    check(r1 == 0 && r2 == 0, "eio-other-sectors-read", "the disk still works after errors");
    /* Write back what was read, leaving the image as it was. */
    check(r1 == 0 && blk_write(0, bad + 16, buf, 16) == 0, "eio-write-still-works", "%s", "");
}

static void cmd_count(int want)
{
    static uint8_t buf[4096];
    int n = blk_count(), ok = n == want;
    for (int d = 0; d < n; d++) {
        struct blk_info bi;
        ok &= blk_info(d, &bi) == 0 && blk_read(d, bi.sectors - 1, buf, 1) == 0;
        printf("blktest: disk %d: %llu sectors of %u bytes%s\n", d, (unsigned long long)bi.sectors,
               bi.sector_size, bi.read_only ? ", read-only" : "");
    }
    check(ok, "count", "%d disks, want %d, each readable", n, want);
}

static void cmd_nodisk(void)
{
    static uint8_t buf[512];
    check(blk_count() == 0, "nodisk-count", "blk_count() = %d", blk_count());
    expect_err(blk_read(0, 0, buf, 1), ENODEV, "nodisk-read");
    expect_err(blk_write(0, 0, buf, 1), ENODEV, "nodisk-write");
    expect_err(blk_flush(0), ENODEV, "nodisk-flush");
    struct blk_info bi;
    expect_err(blk_info(0, &bi), ENODEV, "nodisk-info");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        printf("usage: blktest (write SEED | verify SEED | ro SEED | range | eio SECTOR | nodisk | "
               "count N)...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        const char *cmd = argv[i];
        if (!strcmp(cmd, "nodisk")) {
            cmd_nodisk();
            continue;
        }
        if (!strcmp(cmd, "count") && i + 1 < argc) {
            cmd_count(atoi(argv[++i]));
            continue;
        }
        if (blk_info(0, &info) < 0) {
            check(0, cmd, "no disk 0: %s", strerror(errno));
            break;
        }
        printf("blktest: disk 0: %llu sectors of %u bytes%s\n", (unsigned long long)info.sectors,
               info.sector_size, info.read_only ? ", read-only" : "");
        int takes_arg = !strcmp(cmd, "write") || !strcmp(cmd, "verify") || !strcmp(cmd, "ro") ||
                        !strcmp(cmd, "eio");
        uint64_t arg = takes_arg && i + 1 < argc ? strtoull(argv[++i], NULL, 0) : 0;
        if (!strcmp(cmd, "write"))
            cmd_write(arg);
        else if (!strcmp(cmd, "verify"))
            cmd_verify(arg);
        else if (!strcmp(cmd, "ro"))
            cmd_ro(arg);
        else if (!strcmp(cmd, "eio"))
            cmd_eio(arg);
        else if (!strcmp(cmd, "range"))
            cmd_range();
        else
            check(0, cmd, "unknown command");
    }
    return checks_done();
}
