/* The virtio 1.x modern PCI transport (virtio 1.2, 4.1): locate the
 * configuration structures through the vendor-specific PCI capabilities,
 * run the device initialization sequence (3.1.1), set up split virtqueues
 * with one MSI-X vector each, and notify the device about new buffers. */
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

/* 4.1.4 Virtio Structure PCI Capabilities: cfg_type values and the layout
 * of struct virtio_pci_cap in configuration space. */
#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_ISR 3
#define CAP_DEVICE 4
#define CAP_CFG_TYPE 3
#define CAP_BAR 4
#define CAP_OFFSET 8
#define CAP_LENGTH 12
#define CAP_NOTIFY_MULT 16

#define NO_VECTOR 0xffff
#define PCI_SUBSYSTEM_ID 0x2e
#define RESET_SPINS 1000000 /* reads of device_status before giving up */

struct find_ctx {
    uint16_t type;
    int (*fn)(struct pci_dev *d, void *arg);
    void *arg;
};

/* 4.1.2.1: modern devices are 0x1040 + type; transitional ones are
 * 0x1000-0x103f and carry the type in the subsystem device id. */
static int match_type(struct pci_dev *d, void *arg)
{
    struct find_ctx *c = arg;
    int modern = d->device == 0x1040 + c->type;
    int transitional =
        d->device >= 0x1000 && d->device <= 0x103f && pci_read16(d, PCI_SUBSYSTEM_ID) == c->type;
    return modern || transitional ? c->fn(d, c->arg) : 0;
}

int virtio_find(uint16_t type, int (*fn)(struct pci_dev *d, void *arg), void *arg)
{
    struct find_ctx c = {type, fn, arg};
    return pci_find(VIRTIO_PCI_VENDOR, PCI_ANY, match_type, &c);
}

/* 4.1.4: map the first structure of each type we use (the driver SHOULD use
 * the first it can). The ISR status byte is not mapped: with MSI-X each
 * vector already says which queue needs attention, and the driver has no
 * configuration-change vector, so nothing would read it. */
static int map_caps(struct virtio_dev *vd)
{
    const struct pci_dev *d = &vd->pci;
    for (uint8_t off = pci_cap_find(d, PCI_CAP_VENDOR, 0); off;
         off = pci_cap_find(d, PCI_CAP_VENDOR, off)) {
        uint8_t type = pci_read8(d, (uint8_t)(off + CAP_CFG_TYPE));
        uint8_t bar = pci_read8(d, (uint8_t)(off + CAP_BAR));
        if (type < CAP_COMMON || type > CAP_DEVICE || type == CAP_ISR)
            continue;
        if (bar >= PCI_BARS || d->bar_is_io[bar] || !d->bar[bar])
            continue;
        uint32_t len = pci_read32(d, (uint8_t)(off + CAP_LENGTH));
        uint64_t pa = d->bar[bar] + pci_read32(d, (uint8_t)(off + CAP_OFFSET));
        void *va = (void *)(uintptr_t)pa; /* MMIO: virtual == physical */
        if (type == CAP_COMMON && !vd->common && len >= sizeof(*vd->common)) {
            if (vm_map_mmio(pa, len) < 0)
                return -ENOMEM;
            vd->common = va;
        } else if (type == CAP_NOTIFY && !vd->notify) {
            if (vm_map_mmio(pa, len) < 0)
                return -ENOMEM;
            vd->notify = va;
            vd->notify_mult = pci_read32(d, (uint8_t)(off + CAP_NOTIFY_MULT));
        } else if (type == CAP_DEVICE && !vd->device) {
            if (vm_map_mmio(pa, len) < 0)
                return -ENOMEM;
            vd->device = va;
            vd->device_len = len;
        }
    }
    return vd->common && vd->notify && vd->device ? 0 : -ENODEV;
}

static uint64_t read_features(volatile struct virtio_pci_common_cfg *c)
{
    c->device_feature_select = 0;
    uint64_t lo = c->device_feature;
    c->device_feature_select = 1;
    return lo | (uint64_t)c->device_feature << 32;
}

static void write_features(volatile struct virtio_pci_common_cfg *c, uint64_t f)
{
    c->driver_feature_select = 0;
    c->driver_feature = (uint32_t)f;
    c->driver_feature_select = 1;
    c->driver_feature = (uint32_t)(f >> 32);
}

void virtio_fail(struct virtio_dev *vd)
{
    if (vd->common)
        vd->common->device_status |= STATUS_FAILED;
}

int virtio_init(struct virtio_dev *vd, const struct pci_dev *pci, uint64_t wanted)
{
    memset(vd, 0, sizeof(*vd));
    vd->pci = *pci;
    int err = map_caps(vd);
    if (err)
        return err;
    pci_enable(&vd->pci);
    err = pci_msix_init(&vd->pci);
    if (err)
        goto fail;
    volatile struct virtio_pci_common_cfg *c = vd->common;

    /* 3.1.1 step 1: reset the device; 4.1.4.3.2: wait for device_status
     * to read back 0 before going on (QEMU resets synchronously). */
    c->device_status = 0;
    for (int i = 0; c->device_status != 0; i++) {
        if (i == RESET_SPINS) {
            err = -EIO;
            goto fail;
        }
        cpu_relax();
    }
    /* 2. ACKNOWLEDGE: we noticed the device. 3. DRIVER: we can drive it. */
    c->device_status = STATUS_ACKNOWLEDGE;
    c->device_status = STATUS_ACKNOWLEDGE | STATUS_DRIVER;
    /* 4. Read the device's features and write the subset we understand.
     * Without VERSION_1 the device is legacy-only, which we do not drive. */
    uint64_t offered = read_features(c);
    if (!(offered & VIRTIO_F_VERSION_1)) {
        err = -ENODEV;
        goto fail;
    }
    vd->features = offered & (wanted | VIRTIO_F_VERSION_1);
    write_features(c, vd->features);
    /* 5. FEATURES_OK: no more feature bits. 6. Re-read it: if it is not
     * set, the device does not support our subset. */
    c->device_status = STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK;
    if (!(c->device_status & STATUS_FEATURES_OK)) {
        err = -EIO;
        goto fail;
    }
    /* 4.1.5.4 has no use for us: configuration changes get no vector. */
    c->config_msix_vector = NO_VECTOR;
    return 0; /* 7 (queues, device configuration) is the caller's */
fail:
    virtio_fail(vd);
    return err;
}

int virtio_queue_init(struct virtio_dev *vd, struct virtio_queue *q, uint16_t index,
                      uint16_t max_size, irq_handler fn, void *ctx)
{
    volatile struct virtio_pci_common_cfg *c = vd->common;
    /* 4.1.5.1.3 Virtqueue Configuration. 1. Select the queue. */
    c->queue_select = index;
    /* 2. Read its size; 0 means there is no such queue. 3. Optionally
     * choose a smaller one: a split queue's size stays a power of two (2.7). */
    uint16_t size = c->queue_size;
    if (size == 0 || c->queue_enable)
        return -ENODEV;
    while (size > max_size || size > VIRTQ_MAX_SIZE)
        size /= 2;
    c->queue_size = size;
    /* 4. Allocate and zero the rings in physically contiguous pages. RAM is
     * identity-mapped, so the physical address is also the pointer. */
    size_t pages = (virtq_bytes(size) + PAGE_SIZE - 1) / PAGE_SIZE;
    uint64_t pa = pages_alloc_contig(pages);
    if (!pa)
        return -ENOMEM;
    void *mem = (void *)(uintptr_t)pa;
    memset(mem, 0, pages * PAGE_SIZE);
    if (virtq_init(&q->vq, mem, size) < 0)
        goto nospace;
    /* 5. Interrupts: route the next MSI-X entry to fn, tell the device to
     * use it, and read it back: NO_VECTOR means the device refused. */
    unsigned entry = vd->msix_next;
    if (pci_msix_route(&vd->pci, entry, fn, ctx) < 0)
        goto nospace;
    vd->msix_next++;
    c->queue_msix_vector = (uint16_t)entry;
    if (c->queue_msix_vector != entry)
        goto nospace;
    /* 6. Tell the device where the three parts are. */
    uint64_t desc = pa, driver = (uint64_t)(uintptr_t)q->vq.avail,
             device = (uint64_t)(uintptr_t)q->vq.used;
    c->queue_desc_lo = (uint32_t)desc;
    c->queue_desc_hi = (uint32_t)(desc >> 32);
    c->queue_driver_lo = (uint32_t)driver;
    c->queue_driver_hi = (uint32_t)(driver >> 32);
    c->queue_device_lo = (uint32_t)device;
    c->queue_device_hi = (uint32_t)(device >> 32);
    /* 4.1.4.4: this queue's doorbell is at notify + queue_notify_off *
     * notify_off_multiplier. */
    q->index = index;
    q->notify =
        (volatile uint16_t *)(void *)(vd->notify + (uint32_t)c->queue_notify_off * vd->notify_mult);
    /* 7. Enable the queue. */
    c->queue_enable = 1;
    return 0;
nospace:
    for (size_t i = 0; i < pages; i++)
        page_free(pa + i * PAGE_SIZE);
    return -ENOSPC;
}

void virtio_driver_ok(struct virtio_dev *vd)
{
    vd->common->device_status |= STATUS_DRIVER_OK;
}

void virtio_kick(struct virtio_queue *q)
{
    /* virtq_kick ends with a full fence after publishing avail->idx, so the
     * device sees the new index before this (uncached) doorbell write. */
    if (virtq_kick(&q->vq))
        *q->notify = q->index; /* 4.1.5.2: write the queue's index */
}

uint8_t virtio_cfg_read8(struct virtio_dev *vd, uint32_t off)
{
    return vd->device[off];
}

uint16_t virtio_cfg_read16(struct virtio_dev *vd, uint32_t off)
{
    return *(volatile uint16_t *)(void *)(vd->device + off);
}

uint32_t virtio_cfg_read32(struct virtio_dev *vd, uint32_t off)
{
    return *(volatile uint32_t *)(void *)(vd->device + off);
}

uint64_t virtio_cfg_read64(struct virtio_dev *vd, uint32_t off)
{
    uint8_t gen;
    uint64_t v;
    do {
        gen = vd->common->config_generation;
        v = virtio_cfg_read32(vd, off) | (uint64_t)virtio_cfg_read32(vd, off + 4) << 32;
    } while (gen != vd->common->config_generation);
    return v;
}
