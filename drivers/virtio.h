/* The virtio 1.x modern PCI transport (virtio.c): finding virtio devices,
 * the initialization sequence, queue setup with one MSI-X vector per queue,
 * notifications and device configuration reads. Section numbers follow
 * virtio 1.2. */
#ifndef DRIVERS_VIRTIO_H
#define DRIVERS_VIRTIO_H

#include <stdint.h>

#include "kernel.h"
#include "pci.h"
#include "virtq.h"

#define VIRTIO_PCI_VENDOR 0x1af4
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2

/* Feature bits every device type shares (6). */
#define VIRTIO_F_VERSION_1 (1ull << 32)

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

/* One device, as the transport knows it. */
struct virtio_dev {
    struct pci_dev pci;
    volatile struct virtio_pci_common_cfg *common;
    volatile uint8_t *notify; /* notification region (4.1.4.4) */
    uint32_t notify_mult;     /* notify_off_multiplier */
    volatile uint8_t *device; /* device-specific configuration (4.1.4.6) */
    uint32_t device_len;
    uint64_t features;  /* negotiated */
    unsigned msix_next; /* next free MSI-X table entry */
};

/* One virtqueue and where to notify the device about it. */
struct virtio_queue {
    struct virtq vq;
    uint16_t index;
    volatile uint16_t *notify;
};

/* Call fn(d, arg) for every virtio PCI function of device type `type` (modern
 * 0x1040 + type, or transitional). Returns as pci_find does. */
int virtio_find(uint16_t type, int (*fn)(struct pci_dev *d, void *arg), void *arg);

/* 3.1.1 steps 1-6: reset, ACKNOWLEDGE, DRIVER, negotiate VIRTIO_F_VERSION_1
 * plus whichever of `wanted` the device offers, FEATURES_OK. On success the
 * negotiated set is in vd->features; then set up queues (virtio_queue_init)
 * and finish with virtio_driver_ok. Returns 0 or -errno (-ENODEV: a
 * capability is missing or the device is legacy-only; -EIO: the device
 * refused the features); on error the device is marked FAILED. */
int virtio_init(struct virtio_dev *vd, const struct pci_dev *pci, uint64_t wanted);
/* 4.1.5.1.3: set up queue `index` with at most max_size descriptors, in
 * fresh contiguous pages, interrupting through the next MSI-X entry, whose
 * vector runs fn(ctx) in interrupt context. Returns 0 or -errno. */
int virtio_queue_init(struct virtio_dev *vd, struct virtio_queue *q, uint16_t index,
                      uint16_t max_size, irq_handler fn, void *ctx);
/* 3.1.1 step 8: DRIVER_OK; the device is live. */
void virtio_driver_ok(struct virtio_dev *vd);
/* 3.1.1: tell the device the driver gave up on it. */
void virtio_fail(struct virtio_dev *vd);
/* Publish added chains and notify the device if it asks for that. */
void virtio_kick(struct virtio_queue *q);

/* Device-specific configuration fields, each read with an access of its own
 * width (4.1.3.1); 64-bit reads retry until the configuration generation is
 * stable (2.5). off is a byte offset. */
uint8_t virtio_cfg_read8(struct virtio_dev *vd, uint32_t off);
uint16_t virtio_cfg_read16(struct virtio_dev *vd, uint32_t off);
uint32_t virtio_cfg_read32(struct virtio_dev *vd, uint32_t off);
uint64_t virtio_cfg_read64(struct virtio_dev *vd, uint32_t off);

#endif
