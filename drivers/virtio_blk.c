/* virtio-blk driver (virtio 1.2, 5.2): one request queue per disk. A
 * request is a chain of a header, the data (one descriptor per physical
 * page run of the caller's buffer, which may be heap or stack) and a status
 * byte. The caller sleeps on the disk's wait queue; the queue's MSI-X
 * interrupt only wakes the sleepers, which collect completions themselves. */
#include "virtio_blk.h"

#include <errno.h>

#include "cpu.h"
#include "virtio.h"

/* 5.2.3 Feature bits. */
#define VIRTIO_BLK_F_SEG_MAX (1ull << 2)
#define VIRTIO_BLK_F_RO (1ull << 5)
#define VIRTIO_BLK_F_BLK_SIZE (1ull << 6)
#define VIRTIO_BLK_F_FLUSH (1ull << 9)

/* 5.2.4 Device configuration layout: byte offsets. */
#define CFG_CAPACITY 0x00 /* le64, in 512-byte units */
#define CFG_SEG_MAX 0x0c  /* le32 */
#define CFG_BLK_SIZE 0x14 /* le32 */

/* 5.2.6 Device Operation: request types and status values. The sector in
 * the header always counts 512-byte units, whatever blk_size says. */
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_S_OK 0
#define UNIT 512

struct virtio_blk_req_hdr {
    uint32_t type;
    uint32_t reserved;
    uint64_t sector;
};
_Static_assert(sizeof(struct virtio_blk_req_hdr) == 16, "virtio 5.2.6 layout");

/* One request in flight, on its caller's stack. The alignment keeps the
 * header and the status byte inside one page, so each is one descriptor. */
struct request {
    struct virtio_blk_req_hdr hdr; /* device-readable */
    uint8_t status;                /* device-writable */
    int done;
} __attribute__((aligned(32)));

struct disk {
    struct virtio_dev vd;
    struct virtio_queue q;
    struct waitq waiters; /* callers waiting for a completion or free descriptors */
    struct virtio_blk_info info;
    uint32_t units;    /* 512-byte units per sector */
    unsigned max_segs; /* data descriptors per request */
};

static struct {
    int probed, n;
    struct disk disk[VIRTIO_BLK_MAX_DISKS];
} blk;

/* Interrupt context: the device used buffers. Wake whoever waits; they
 * take the completions from the used ring. MSI-X needs no device ack. */
static void blk_irq(void *ctx)
{
    struct disk *k = ctx;
    waitq_wake_all(&k->waiters);
}

/* Mark every completed request done (thread context, interrupts off). */
static void reap(struct disk *k)
{
    struct request *r;
    int any = 0;
    while ((r = virtio_get_buf(&k->q, NULL))) {
        r->done = 1;
        any = 1;
    }
    if (any) /* their owners, and anyone waiting for descriptors */
        waitq_wake_all(&k->waiters);
}

/* Queue one request and sleep until the device has finished it. Interrupts
 * stay off except while we sleep, so the completion interrupt can only be
 * taken once we are on the wait queue: it cannot be missed. We sleep at
 * least once even if the device is already done (the interrupt is pending
 * then), so other threads always get the CPU while a request is out. */
static int submit(struct disk *k, struct request *r, const struct virtq_buf *bufs, unsigned n_out,
                  unsigned n_in)
{
    r->status = 0xff;
    r->done = 0;
    uint64_t flags = irq_save();
    while (virtq_add_buf(&k->q.vq, bufs, n_out, n_in, r) == -ENOSPC) {
        if (!virtq_has_used(&k->q.vq))
            waitq_wait(&k->waiters); /* until a completion frees descriptors */
        reap(k);
    }
    virtio_kick(&k->q);
    do {
        waitq_wait(&k->waiters);
        reap(k);
    } while (!r->done);
    irq_restore(flags);
    return r->status == VIRTIO_BLK_S_OK ? 0 : -EIO;
}

/* Physical address of a small object that does not cross a page. */
static uint64_t phys(const void *p)
{
    return vm_translate((uint64_t)(uintptr_t)p);
}

/* Describe [p, p+len) as physical runs in bufs (at most max entries, which
 * the caller sized for the pages the range touches). Returns how many, or
 * -EFAULT when part of it is not mapped, or is not writable and the device
 * is to write it (a read into .text or .rodata must not bypass W^X). */
static int map_buffer(const uint8_t *p, size_t len, int device_writes, struct virtq_buf *bufs,
                      unsigned max)
{
    if (device_writes && !vm_writable((uint64_t)(uintptr_t)p, len))
        return -EFAULT;
    unsigned n = 0;
    while (len) {
        uint64_t va = (uint64_t)(uintptr_t)p;
        size_t piece = PAGE_SIZE - (va & (PAGE_SIZE - 1));
        if (piece > len)
            piece = len;
        uint64_t pa = vm_translate(va);
        if (pa == UINT64_MAX)
            return -EFAULT;
        if (n && bufs[n - 1].addr + bufs[n - 1].len == pa) {
            bufs[n - 1].len += (uint32_t)piece; /* physically contiguous: merge */
        } else {
            kassert(n < max);
            bufs[n++] = (struct virtq_buf){pa, (uint32_t)piece};
        }
        p += piece;
        len -= piece;
    }
    return (int)n;
}

int virtio_blk_rw(int dev, int write, uint64_t sector, void *buf, size_t count)
{
    if (dev < 0 || dev >= blk.n)
        return -ENODEV;
    struct disk *k = &blk.disk[dev];
    uint64_t cap = k->info.sectors;
    size_t ss = k->info.sector_size;
    if ((count && !buf) || sector > cap || count > cap - sector || count > SIZE_MAX / ss)
        return -EINVAL;
    if (write && k->info.read_only)
        return -EROFS;
    /* Requests of at most (max_segs - 1) pages of data, whole sectors: such
     * a range touches at most max_segs pages, wherever it starts. */
    size_t chunk = (k->max_segs - 1) * PAGE_SIZE / ss;
    struct virtq_buf bufs[VIRTIO_BLK_MAX_SEGS + 2];
    struct request r;
    uint8_t *p = buf;
    while (count) {
        size_t n = count < chunk ? count : chunk;
        int segs = map_buffer(p, n * ss, !write, bufs + 1, k->max_segs);
        if (segs < 0)
            return segs;
        r.hdr = (struct virtio_blk_req_hdr){
            .type = write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN,
            .sector = sector * k->units,
        };
        bufs[0] = (struct virtq_buf){phys(&r.hdr), sizeof(r.hdr)};
        bufs[segs + 1] = (struct virtq_buf){phys(&r.status), 1};
        /* 5.2.6: header, data (device-readable for a write, writable for
         * a read), then the status byte the device writes. */
        int err = write ? submit(k, &r, bufs, 1 + (unsigned)segs, 1)
                        : submit(k, &r, bufs, 1, (unsigned)segs + 1);
        if (err)
            return err;
        p += n * ss;
        sector += n;
        count -= n;
    }
    return 0;
}

int virtio_blk_flush(int dev)
{
    if (dev < 0 || dev >= blk.n)
        return -ENODEV;
    struct disk *k = &blk.disk[dev];
    if (!k->info.flush)
        return 0; /* 5.2.5: without FLUSH the device writes through */
    struct request r;
    r.hdr = (struct virtio_blk_req_hdr){.type = VIRTIO_BLK_T_FLUSH};
    struct virtq_buf bufs[2] = {{phys(&r.hdr), sizeof(r.hdr)}, {phys(&r.status), 1}};
    return submit(k, &r, bufs, 1, 1);
}

int virtio_blk_info(int dev, struct virtio_blk_info *out)
{
    if (dev < 0 || dev >= blk.n)
        return -ENODEV;
    *out = blk.disk[dev].info;
    return 0;
}

/* 3.1.1 step 7 for a disk: its request queue and configuration. */
static int disk_init(struct disk *k, const struct virtio_loc *d)
{
    int err = virtio_init(&k->vd, d,
                          VIRTIO_BLK_F_SEG_MAX | VIRTIO_BLK_F_RO | VIRTIO_BLK_F_BLK_SIZE |
                              VIRTIO_BLK_F_FLUSH);
    if (err)
        return err;
    waitq_init(&k->waiters);
    err = virtio_queue_init(&k->vd, &k->q, 0, VIRTIO_BLK_QUEUE_SIZE, blk_irq, k);
    if (err)
        goto fail;
    uint64_t f = k->vd.features;
    uint32_t ss = UNIT;
    if (f & VIRTIO_BLK_F_BLK_SIZE) {
        uint32_t v = virtio_cfg_read32(&k->vd, CFG_BLK_SIZE);
        if (v >= UNIT && v <= PAGE_SIZE && !(v & (v - 1)))
            ss = v; /* anything else is not a sector size we can use */
    }
    k->units = ss / UNIT;
    k->info.sector_size = ss;
    k->info.sectors = virtio_cfg_read64(&k->vd, CFG_CAPACITY) / k->units;
    k->info.read_only = !!(f & VIRTIO_BLK_F_RO);
    k->info.flush = !!(f & VIRTIO_BLK_F_FLUSH);
    /* Data descriptors per request: ours, the queue's (less header and
     * status) and the device's (SEG_MAX), whichever is least. */
    k->max_segs = VIRTIO_BLK_MAX_SEGS;
    if (k->max_segs > k->q.vq.size - 2u)
        k->max_segs = k->q.vq.size - 2u;
    if (f & VIRTIO_BLK_F_SEG_MAX) {
        uint32_t seg_max = virtio_cfg_read32(&k->vd, CFG_SEG_MAX);
        if (seg_max && seg_max < k->max_segs)
            k->max_segs = seg_max;
    }
    if (k->max_segs < 2 || (k->max_segs - 1) * PAGE_SIZE < ss) {
        err = -ENODEV; /* cannot carry even one sector per request */
        goto fail;
    }
    virtio_driver_ok(&k->vd);
    return 0;
fail:
    virtio_fail(&k->vd);
    return err;
}

static int probe_one(const struct virtio_loc *d, void *arg)
{
    (void)arg;
    if (blk.n == VIRTIO_BLK_MAX_DISKS) {
        kprintf("blk: more than %d disks; %s ignored\n", VIRTIO_BLK_MAX_DISKS, d->name);
        return 0;
    }
    struct disk *k = &blk.disk[blk.n];
    int err = disk_init(k, d);
    if (err) {
        kprintf("blk: virtio-blk %s not usable (error %d)\n", d->name, -err);
        return 0;
    }
    kprintf("blk%d: virtio-blk %s, %llu sectors of %u bytes (%llu MiB), %s%s\n", blk.n, d->name,
            (unsigned long long)k->info.sectors, k->info.sector_size,
            (unsigned long long)(k->info.sectors * k->info.sector_size >> 20),
            k->info.read_only ? "read-only" : "read-write", k->info.flush ? ", write cache" : "");
    blk.n++;
    return 0;
}

int virtio_blk_probe(void)
{
    if (!blk.probed) {
        blk.probed = 1;
        virtio_find(VIRTIO_ID_BLOCK, probe_one, NULL);
    }
    return blk.n;
}
