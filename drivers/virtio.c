/* The transport-independent half of virtio 1.x (virtio 1.2, 3.1 and 2.7):
 * the device initialization sequence, virtqueue memory, notifications and
 * configuration reads, over the PCI or MMIO transport's registers. */
#include "virtio.h"

#include <errno.h>
#include <string.h>

#include "cpu.h"

/* 2.1 Device Status Field. */
#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FEATURES_OK 8
#define STATUS_FAILED 128

#define RESET_SPINS 1000000 /* reads of device_status before giving up */

char *virtio_hex(char *p, uint64_t v, int digits)
{
    for (int i = digits - 1; i >= 0; i--)
        *p++ = "0123456789abcdef"[(v >> (4 * i)) & 0xf];
    *p = '\0';
    return p;
}

int virtio_find(uint16_t type, int (*fn)(const struct virtio_loc *loc, void *arg), void *arg)
{
    int r = virtio_pci_find(type, fn, arg);
    return r ? r : virtio_mmio_find(type, fn, arg);
}

void virtio_fail(struct virtio_dev *vd)
{
    if (vd->t)
        vd->t->set_status(vd, vd->t->get_status(vd) | STATUS_FAILED);
}

int virtio_init(struct virtio_dev *vd, const struct virtio_loc *loc, uint64_t wanted)
{
    memset(vd, 0, sizeof(*vd));
    const struct virtio_transport *t = loc->pci ? &virtio_pci_transport : &virtio_mmio_transport;
    int err = t->setup(vd, loc);
    if (err)
        return err;
    vd->t = t;

    /* 3.1.1 step 1: reset the device; 4.1.4.3.2 and 4.2.2.1: wait for the
     * status to read back 0 before going on (QEMU resets synchronously). */
    t->set_status(vd, 0);
    for (int i = 0; t->get_status(vd) != 0; i++) {
        if (i == RESET_SPINS) {
            err = -EIO;
            goto fail;
        }
        cpu_relax();
    }
    /* 2. ACKNOWLEDGE: we noticed the device. 3. DRIVER: we can drive it. */
    t->set_status(vd, STATUS_ACKNOWLEDGE);
    t->set_status(vd, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
    /* 4. Read the device's features and write the subset we understand.
     * Without VERSION_1 the device is legacy-only, which we do not drive. */
    uint64_t offered = t->get_features(vd);
    if (!(offered & VIRTIO_F_VERSION_1)) {
        err = -ENODEV;
        goto fail;
    }
    vd->features = offered & (wanted | VIRTIO_F_VERSION_1);
    t->set_features(vd, vd->features);
    /* 5. FEATURES_OK: no more feature bits. 6. Re-read it: if it is not
     * set, the device does not support our subset. */
    t->set_status(vd, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
    if (!(t->get_status(vd) & STATUS_FEATURES_OK)) {
        err = -EIO;
        goto fail;
    }
    return 0; /* 7 (queues, device configuration) is the caller's */
fail:
    virtio_fail(vd);
    return err;
}

int virtio_queue_init(struct virtio_dev *vd, struct virtio_queue *q, uint16_t index,
                      uint16_t max_size, irq_handler fn, void *ctx)
{
    /* 4.1.5.1.3 and 4.2.3.2 Virtqueue Configuration: select the queue and
     * read its largest size (0: no such queue); optionally choose a smaller
     * one: a split queue's size stays a power of two (2.7). */
    uint16_t size = vd->t->queue_max(vd, index);
    if (size == 0)
        return -ENODEV;
    while (size > max_size || size > VIRTQ_MAX_SIZE)
        size /= 2;
    /* Allocate and zero the rings in physically contiguous pages. RAM is
     * identity-mapped, so the physical address is also the pointer. */
    size_t pages = (virtq_bytes(size) + PAGE_SIZE - 1) / PAGE_SIZE;
    uint64_t pa = pages_alloc_contig(pages);
    if (!pa)
        return -ENOMEM;
    memset((void *)(uintptr_t)pa, 0, pages * PAGE_SIZE);
    q->index = index;
    int err = virtq_init(&q->vq, (void *)(uintptr_t)pa, size) < 0
                  ? -ENOSPC
                  : vd->t->queue_set(vd, q, fn, ctx);
    if (err) {
        for (size_t i = 0; i < pages; i++)
            page_free(pa + i * PAGE_SIZE);
        return err;
    }
    return 0;
}

void virtio_driver_ok(struct virtio_dev *vd)
{
    vd->t->set_status(vd, vd->t->get_status(vd) | STATUS_DRIVER_OK);
}

void virtio_kick(struct virtio_queue *q)
{
    /* virtq_kick ends with a full fence after publishing avail->idx, so the
     * device sees the new index before this (uncached) doorbell write. */
    if (!virtq_kick(&q->vq))
        return;
    if (q->notify32)
        *(volatile uint32_t *)q->notify = q->index; /* 4.2.2: QueueNotify */
    else
        *(volatile uint16_t *)q->notify = q->index; /* 4.1.5.2 */
}

void *virtio_get_buf(struct virtio_queue *q, uint32_t *len)
{
    uint32_t bad = q->vq.bad;
    void *token = virtq_get_buf(&q->vq, len);
    if (q->vq.bad && !bad) /* the first time only: it may go on */
        kprintf("virtio: the device returned a descriptor it was not given on queue %u "
                "(device bug); ignored\n",
                q->index);
    return token;
}

uint8_t virtio_cfg_read8(struct virtio_dev *vd, uint32_t off)
{
    return vd->t->config(vd)[off];
}

uint16_t virtio_cfg_read16(struct virtio_dev *vd, uint32_t off)
{
    return *(volatile uint16_t *)(void *)(vd->t->config(vd) + off);
}

uint32_t virtio_cfg_read32(struct virtio_dev *vd, uint32_t off)
{
    return *(volatile uint32_t *)(void *)(vd->t->config(vd) + off);
}

uint64_t virtio_cfg_read64(struct virtio_dev *vd, uint32_t off)
{
    uint8_t gen;
    uint64_t v;
    do {
        gen = vd->t->config_generation(vd);
        v = virtio_cfg_read32(vd, off) | (uint64_t)virtio_cfg_read32(vd, off + 4) << 32;
    } while (gen != vd->t->config_generation(vd));
    return v;
}
