/* The virtio 1.x modern PCI transport (virtio 1.2, 4.1): find virtio
 * functions, locate the configuration structures through the
 * vendor-specific PCI capabilities, and give each queue an MSI-X vector. */
#include "virtio.h"

#include <errno.h>

#include "virtio_pci_cap.h"

/* 4.1.4.3 Common configuration structure layout. 64-bit fields are split
 * in halves: 4.1.3.1 lets the driver access them as two 32-bit parts. */
struct virtio_pci_common_cfg {
    uint32_t device_feature_select;
    uint32_t device_feature;
    uint32_t driver_feature_select;
    uint32_t driver_feature;
    uint16_t config_msix_vector;
    uint16_t num_queues;
    uint8_t device_status;
    uint8_t config_generation;
    uint16_t queue_select;
    uint16_t queue_size;
    uint16_t queue_msix_vector;
    uint16_t queue_enable;
    uint16_t queue_notify_off;
    uint32_t queue_desc_lo, queue_desc_hi;
    uint32_t queue_driver_lo, queue_driver_hi;
    uint32_t queue_device_lo, queue_device_hi;
};
_Static_assert(sizeof(struct virtio_pci_common_cfg) == 0x38, "virtio 4.1.4.3 layout");
_Static_assert(__builtin_offsetof(struct virtio_pci_common_cfg, queue_desc_lo) == 0x20,
               "virtio 4.1.4.3 layout");

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

struct find_ctx {
    uint16_t type;
    int (*fn)(const struct virtio_loc *loc, void *arg);
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
    if (!modern && !transitional)
        return 0;
    struct virtio_loc loc = {.pci = d};
    char *p = loc.name; /* "bb:ss.f" */
    p = virtio_hex(p, d->bus, 2);
    *p++ = ':';
    p = virtio_hex(p, d->slot, 2);
    *p++ = '.';
    virtio_hex(p, d->func, 1);
    return c->fn(&loc, c->arg);
}

int virtio_pci_find(uint16_t type, int (*fn)(const struct virtio_loc *loc, void *arg), void *arg)
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
            vd->notify_len = len;
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

static int setup(struct virtio_dev *vd, const struct virtio_loc *loc)
{
    vd->pci = *loc->pci;
    int err = map_caps(vd);
    if (err)
        return err;
    pci_enable(&vd->pci);
    err = pci_msix_init(&vd->pci);
    if (err)
        return err;
    /* 4.1.5.4 has no use for us: configuration changes get no vector. */
    vd->common->config_msix_vector = NO_VECTOR;
    return 0;
}

static uint8_t get_status(struct virtio_dev *vd)
{
    return vd->common->device_status;
}

static void set_status(struct virtio_dev *vd, uint8_t status)
{
    vd->common->device_status = status;
}

static uint64_t get_features(struct virtio_dev *vd)
{
    volatile struct virtio_pci_common_cfg *c = vd->common;
    c->device_feature_select = 0;
    uint64_t lo = c->device_feature;
    c->device_feature_select = 1;
    return lo | (uint64_t)c->device_feature << 32;
}

static void set_features(struct virtio_dev *vd, uint64_t f)
{
    volatile struct virtio_pci_common_cfg *c = vd->common;
    c->driver_feature_select = 0;
    c->driver_feature = (uint32_t)f;
    c->driver_feature_select = 1;
    c->driver_feature = (uint32_t)(f >> 32);
}

static uint16_t queue_max(struct virtio_dev *vd, uint16_t index)
{
    vd->common->queue_select = index;
    return vd->common->queue_enable ? 0 : vd->common->queue_size;
}

/* 4.1.5.1.3 steps 3-7, for the queue queue_max selected. */
static int queue_set(struct virtio_dev *vd, struct virtio_queue *q, irq_handler fn, void *ctx)
{
    volatile struct virtio_pci_common_cfg *c = vd->common;
    c->queue_size = q->vq.size;
    /* Interrupts: route the next MSI-X entry to fn, tell the device to use
     * it, and read it back: NO_VECTOR means the device refused. */
    unsigned entry = vd->msix_next;
    if (pci_msix_route(&vd->pci, entry, fn, ctx) < 0)
        return -ENOSPC;
    vd->msix_next++;
    c->queue_msix_vector = (uint16_t)entry;
    if (c->queue_msix_vector != entry)
        return -ENOSPC;
    /* Tell the device where the three parts are. */
    uint64_t desc = (uint64_t)(uintptr_t)q->vq.desc, driver = (uint64_t)(uintptr_t)q->vq.avail,
             device = (uint64_t)(uintptr_t)q->vq.used;
    c->queue_desc_lo = (uint32_t)desc;
    c->queue_desc_hi = (uint32_t)(desc >> 32);
    c->queue_driver_lo = (uint32_t)driver;
    c->queue_driver_hi = (uint32_t)(driver >> 32);
    c->queue_device_lo = (uint32_t)device;
    c->queue_device_hi = (uint32_t)(device >> 32);
    /* 4.1.4.4: this queue's doorbell is at notify + queue_notify_off *
     * notify_off_multiplier, which must lie inside the structure. */
    int64_t off = virtio_pci_notify_offset(c->queue_notify_off, vd->notify_mult, vd->notify_len);
    if (off < 0) {
        kprintf("virtio-pci %02x:%02x.%x: queue %u's doorbell (notify offset %u x %u) is outside "
                "the %u-byte notification structure (device bug)\n",
                vd->pci.bus, vd->pci.slot, vd->pci.func, q->index, c->queue_notify_off,
                vd->notify_mult, vd->notify_len);
        return -EIO;
    }
    q->notify32 = 0;
    q->notify = vd->notify + off;
    c->queue_enable = 1;
    return 0;
}

static volatile uint8_t *config(struct virtio_dev *vd)
{
    return vd->device;
}

static uint8_t config_generation(struct virtio_dev *vd)
{
    return vd->common->config_generation;
}

const struct virtio_transport virtio_pci_transport = {
    setup,     get_status, set_status, get_features,      set_features,
    queue_max, queue_set,  config,     config_generation,
};
