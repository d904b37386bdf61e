/* virtio 1.x devices over either transport: the device initialization
 * sequence, queue setup and notifications (virtio.c) on top of the modern
 * PCI transport (virtio_pci.c, 4.1) or the MMIO transport (virtio_mmio.c,
 * 4.2). The device drivers see only this header. Section numbers follow
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
#define VIRTIO_MAX_QUEUES 4 /* per device, as far as these drivers go */

/* Feature bits every device type shares (6). */
#define VIRTIO_F_VERSION_1 (1ull << 32)

/* Where a device was found: a PCI function, or an MMIO window and the GSI
 * its interrupt line is wired to. name is for messages. */
struct virtio_loc {
    const struct pci_dev *pci; /* NULL for MMIO */
    uint64_t mmio;
    unsigned gsi;
    char name[32];
};

struct virtio_dev;
struct virtio_queue;
/* What a transport does; virtio.c runs the generic steps over it. */
struct virtio_transport {
    int (*setup)(struct virtio_dev *vd, const struct virtio_loc *loc);
    uint8_t (*get_status)(struct virtio_dev *vd);
    void (*set_status)(struct virtio_dev *vd, uint8_t status);
    uint64_t (*get_features)(struct virtio_dev *vd);
    void (*set_features)(struct virtio_dev *vd, uint64_t features);
    /* The largest size queue `index` may have; 0 when there is no such
     * queue or it is already live. */
    uint16_t (*queue_max)(struct virtio_dev *vd, uint16_t index);
    /* Give the device the queue's rings (q->vq is laid out) and its
     * interrupt handler, set q->notify, and enable the queue. */
    int (*queue_set)(struct virtio_dev *vd, struct virtio_queue *q, irq_handler fn, void *ctx);
    volatile uint8_t *(*config)(struct virtio_dev *vd);
    uint8_t (*config_generation)(struct virtio_dev *vd);
};

/* One device, as the transport knows it. */
struct virtio_dev {
    const struct virtio_transport *t;
    uint64_t features; /* negotiated */
    /* virtio-pci */
    struct pci_dev pci;
    volatile struct virtio_pci_common_cfg *common;
    volatile uint8_t *notify; /* notification region (4.1.4.4) */
    uint32_t notify_len;      /* its length in bytes */
    uint32_t notify_mult;     /* notify_off_multiplier */
    volatile uint8_t *device; /* device-specific configuration (4.1.4.6) */
    uint32_t device_len;
    unsigned msix_next; /* next free MSI-X table entry */
    /* virtio-mmio: the register window, its interrupt line and the
     * handlers of the queues that share it (4.2.3.4) */
    volatile uint8_t *regs;
    unsigned gsi;
    int irq_routed;
    unsigned n_handlers;
    struct {
        irq_handler fn;
        void *ctx;
        struct virtio_queue *q;
    } handlers[VIRTIO_MAX_QUEUES];
};

/* One virtqueue and where to notify the device about it: a 16-bit write
 * of the queue index (PCI, 4.1.5.2) or a 32-bit one (MMIO, 4.2.3.3). */
struct virtio_queue {
    struct virtq vq;
    uint16_t index;
    uint8_t notify32;
    volatile void *notify;
};

/* virtio.c */
/* Write v as `digits` lower-case hex digits and a NUL at p (for names);
 * returns the position of the NUL. */
char *virtio_hex(char *p, uint64_t v, int digits);
/* Call fn(loc, arg) for every virtio device of type `type`: PCI functions
 * first, then MMIO transports. Stops at and returns the first non-zero
 * value fn returns. */
int virtio_find(uint16_t type, int (*fn)(const struct virtio_loc *loc, void *arg), void *arg);
/* 3.1.1 steps 1-6: reset, ACKNOWLEDGE, DRIVER, negotiate VIRTIO_F_VERSION_1
 * plus whichever of `wanted` the device offers, FEATURES_OK. On success the
 * negotiated set is in vd->features; then set up queues (virtio_queue_init)
 * and finish with virtio_driver_ok. Returns 0 or -errno (-ENODEV: a
 * transport structure is missing or the device is legacy-only; -EIO: the
 * device refused the features); on error the device is marked FAILED. */
int virtio_init(struct virtio_dev *vd, const struct virtio_loc *loc, uint64_t wanted);
/* Set up queue `index` with at most max_size descriptors, in fresh
 * contiguous pages, interrupting through fn(ctx) in interrupt context.
 * Returns 0 or -errno. */
int virtio_queue_init(struct virtio_dev *vd, struct virtio_queue *q, uint16_t index,
                      uint16_t max_size, irq_handler fn, void *ctx);
/* 3.1.1 step 8: DRIVER_OK; the device is live. */
void virtio_driver_ok(struct virtio_dev *vd);
/* 3.1.1: tell the device the driver gave up on it. */
void virtio_fail(struct virtio_dev *vd);
/* Publish added chains and notify the device if it asks for that. */
void virtio_kick(struct virtio_queue *q);
/* virtq_get_buf, saying once on the console when the device hands back a
 * descriptor that is not the head of a chain it holds (virtq skips those). */
void *virtio_get_buf(struct virtio_queue *q, uint32_t *len);
/* Device-specific configuration fields, each read with an access of its own
 * width (4.1.3.1, 4.2.2.2); 64-bit reads retry until the configuration
 * generation is stable (2.5). off is a byte offset. */
uint8_t virtio_cfg_read8(struct virtio_dev *vd, uint32_t off);
uint16_t virtio_cfg_read16(struct virtio_dev *vd, uint32_t off);
uint32_t virtio_cfg_read32(struct virtio_dev *vd, uint32_t off);
uint64_t virtio_cfg_read64(struct virtio_dev *vd, uint32_t off);

/* virtio_pci.c: the modern PCI transport (4.1) */
extern const struct virtio_transport virtio_pci_transport;
/* fn(loc, arg) for every virtio PCI function of type `type` (modern 0x1040 +
 * type, or transitional). */
int virtio_pci_find(uint16_t type, int (*fn)(const struct virtio_loc *loc, void *arg), void *arg);

/* virtio_mmio.c: the MMIO transport (4.2), version 2 registers */
extern const struct virtio_transport virtio_mmio_transport;
/* fn(loc, arg) for every MMIO transport of type `type`: those the command
 * line names (virtio_mmio.device=SIZE@ADDR:IRQ, as QEMU microvm with
 * acpi=off and Firecracker pass them), else, on a machine without PCI,
 * those in QEMU microvm's fixed windows. */
int virtio_mmio_find(uint16_t type, int (*fn)(const struct virtio_loc *loc, void *arg), void *arg);

#endif
