/* The virtio 1.x MMIO transport (virtio 1.2, 4.2; version 2 registers):
 * devices found from the virtio_mmio.device= words on the command line (QEMU
 * microvm with acpi=off, Firecracker) or, on a machine without PCI, in QEMU
 * microvm's fixed windows; each device's interrupt line goes through the
 * IOAPIC and is shared by its queues. */
#include "virtio.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* 4.2.2 MMIO Device Register Layout: byte offsets. */
#define MAGIC 0x000
#define VERSION 0x004
#define DEVICE_ID 0x008
#define DEVICE_FEATURES 0x010
#define DEVICE_FEATURES_SEL 0x014
#define DRIVER_FEATURES 0x020
#define DRIVER_FEATURES_SEL 0x024
#define QUEUE_SEL 0x030
#define QUEUE_NUM_MAX 0x034
#define QUEUE_NUM 0x038
#define QUEUE_READY 0x044
#define QUEUE_NOTIFY 0x050
#define INTERRUPT_STATUS 0x060
#define INTERRUPT_ACK 0x064
#define STATUS 0x070
#define QUEUE_DESC 0x080   /* low, then high at +4 */
#define QUEUE_DRIVER 0x090 /* the available ring */
#define QUEUE_DEVICE 0x0a0 /* the used ring */
#define CONFIG_GENERATION 0x0fc
#define CONFIG 0x100

#define MAGIC_VALUE 0x74726976 /* "virt" */
#define INT_USED_BUFFER 1      /* 4.2.2: InterruptStatus bit 0 */

/* QEMU microvm (hw/i386/microvm.c): transports in 512-byte windows from
 * 0xfeb00000, the first on GSI 5 (8 of them) or, when the second IOAPIC is
 * there (microvm with ACPI), on GSI 24 (24 of them). Its ACPI tables say
 * the same; this layout is what they describe, without an AML reader. */
#define MICROVM_BASE 0xfeb00000ull
#define MICROVM_WINDOW 512
#define MICROVM_IOAPIC2 0xfec10000ul
#define MAX_DEVICES 24

static uint32_t rd(struct virtio_dev *vd, uint32_t off)
{
    return *(volatile uint32_t *)(void *)(vd->regs + off);
}

static void wr(struct virtio_dev *vd, uint32_t off, uint32_t v)
{
    *(volatile uint32_t *)(void *)(vd->regs + off) = v;
}

static void wr64(struct virtio_dev *vd, uint32_t off, uint64_t v)
{
    wr(vd, off, (uint32_t)v);
    wr(vd, off + 4, (uint32_t)(v >> 32));
}

/* The IOAPICs, mapped and registered once. 0 when there is at least one. */
static int ioapics_up(void)
{
    static int state; /* 0 not tried, 1 up, -1 none */
    if (state == 0) {
        state = -1;
        if (vm_map_mmio(IOAPIC_BASE, PAGE_SIZE) == 0 && ioapic_add(IOAPIC_BASE, 0) == 0)
            state = 1;
        if (state == 1 && vm_map_mmio(MICROVM_IOAPIC2, PAGE_SIZE) == 0)
            ioapic_add(MICROVM_IOAPIC2, 24); /* microvm's second one, if there */
    }
    return state == 1 ? 0 : -1;
}

/* Parse "SIZE@ADDR:IRQ" (sizes may end in K or M; numbers in C syntax),
 * Linux's virtio_mmio.device= format. 0 or -1. */
static int parse_word(const char *w, uint64_t *addr, unsigned *irq)
{
    char *e;
    unsigned long long size = strtoull(w, &e, 0);
    if (*e == 'K' || *e == 'k')
        size <<= 10, e++;
    else if (*e == 'M' || *e == 'm')
        size <<= 20, e++;
    if (*e != '@' || size < CONFIG)
        return -1;
    *addr = strtoull(e + 1, &e, 0);
    if (*e != ':')
        return -1;
    unsigned long v = strtoul(e + 1, &e, 0);
    if (*e != '\0' && *e != ':') /* Linux allows a trailing :ID */
        return -1;
    *irq = (unsigned)v;
    return 0;
}

/* Offer the device at addr to fn if it is a version 2 transport of `type`. */
static int try_window(uint64_t addr, unsigned gsi, uint16_t type,
                      int (*fn)(const struct virtio_loc *loc, void *arg), void *arg)
{
    if (vm_map_mmio(addr, MICROVM_WINDOW) < 0)
        return 0;
    volatile uint32_t *r = (volatile uint32_t *)(uintptr_t)addr;
    if (r[MAGIC / 4] != MAGIC_VALUE || r[DEVICE_ID / 4] != type)
        return 0;
    struct virtio_loc loc = {.mmio = addr, .gsi = gsi};
    memcpy(loc.name, "mmio 0x", 7);
    virtio_hex(loc.name + 7, addr, 8);
    if (r[VERSION / 4] != 2) {
        kprintf("virtio: %s is a legacy (version %u) transport; only version 2 is driven\n",
                loc.name, r[VERSION / 4]);
        return 0;
    }
    return fn(&loc, arg);
}

/* A machine with PCI describes its devices there; microvm without PCI has
 * nothing at configuration address 0:0.0. */
static int have_pci(void)
{
    struct pci_dev host = {0};
    return pci_read32(&host, 0) != 0xffffffffu;
}

int virtio_mmio_find(uint16_t type, int (*fn)(const struct virtio_loc *loc, void *arg), void *arg)
{
    /* The words in address order (QEMU appends them highest first): the
     * order in which tools/run and Firecracker attach devices. */
    struct {
        uint64_t addr;
        unsigned irq;
    } dev[MAX_DEVICES];
    const struct cmdline *cl = kernel_cmdline();
    const char *w;
    int n = 0, words = 0, r;
    for (; (w = cmdline_opt_nth(cl, "virtio_mmio.device", words)); words++) {
        uint64_t addr;
        unsigned irq;
        if (parse_word(w, &addr, &irq) < 0 || n == MAX_DEVICES) {
            kprintf("virtio: ignoring virtio_mmio.device=%s (expected SIZE@ADDR:IRQ, at most %d)\n",
                    w, MAX_DEVICES);
            continue;
        }
        int i = n++;
        for (; i > 0 && dev[i - 1].addr > addr; i--)
            dev[i] = dev[i - 1];
        dev[i].addr = addr;
        dev[i].irq = irq;
    }
    for (int i = 0; i < n; i++)
        if ((r = try_window(dev[i].addr, dev[i].irq, type, fn, arg)))
            return r;
    if (words > 0 || have_pci() || ioapics_up() < 0)
        return 0;
    /* No words: QEMU microvm with ACPI, which describes its transports only
     * in its ACPI tables. */
    int two = ioapic_serves(24);
    unsigned first_gsi = two ? 24 : 5, windows = two ? 24 : 8;
    for (unsigned i = 0; i < windows; i++)
        if ((r = try_window(MICROVM_BASE + i * MICROVM_WINDOW, first_gsi + i, type, fn, arg)))
            return r;
    return 0;
}

/* Interrupt context: the line is shared by the device's queues and by
 * configuration changes. Acknowledge what the device reports until it
 * reports nothing (the line is level-triggered and drops once all is
 * acknowledged), and run the handler of each queue with used buffers. */
static void mmio_irq(void *ctx)
{
    struct virtio_dev *vd = ctx;
    uint32_t s;
    while ((s = rd(vd, INTERRUPT_STATUS))) {
        wr(vd, INTERRUPT_ACK, s);
        if (!(s & INT_USED_BUFFER))
            continue;
        for (unsigned i = 0; i < vd->n_handlers; i++)
            if (virtq_has_used(&vd->handlers[i].q->vq))
                vd->handlers[i].fn(vd->handlers[i].ctx);
    }
}

static int setup(struct virtio_dev *vd, const struct virtio_loc *loc)
{
    if (ioapics_up() < 0)
        return -ENODEV; /* no way to take its interrupts */
    vd->regs = (volatile uint8_t *)(uintptr_t)loc->mmio;
    vd->gsi = loc->gsi;
    return 0;
}

static uint8_t get_status(struct virtio_dev *vd)
{
    return (uint8_t)rd(vd, STATUS);
}

static void set_status(struct virtio_dev *vd, uint8_t status)
{
    wr(vd, STATUS, status);
}

static uint64_t get_features(struct virtio_dev *vd)
{
    wr(vd, DEVICE_FEATURES_SEL, 0);
    uint64_t lo = rd(vd, DEVICE_FEATURES);
    wr(vd, DEVICE_FEATURES_SEL, 1);
    return lo | (uint64_t)rd(vd, DEVICE_FEATURES) << 32;
}

static void set_features(struct virtio_dev *vd, uint64_t f)
{
    wr(vd, DRIVER_FEATURES_SEL, 0);
    wr(vd, DRIVER_FEATURES, (uint32_t)f);
    wr(vd, DRIVER_FEATURES_SEL, 1);
    wr(vd, DRIVER_FEATURES, (uint32_t)(f >> 32));
}

/* 4.2.3.2 steps 1-3: select the queue, check it is not in use, read its
 * largest size. */
static uint16_t queue_max(struct virtio_dev *vd, uint16_t index)
{
    wr(vd, QUEUE_SEL, index);
    uint32_t max = rd(vd, QUEUE_NUM_MAX);
    return rd(vd, QUEUE_READY) || max > 0xffff ? 0 : (uint16_t)max;
}

/* 4.2.3.2 steps 5-8, for the queue queue_max selected; the device's
 * interrupt line is routed with its first queue. */
static int queue_set(struct virtio_dev *vd, struct virtio_queue *q, irq_handler fn, void *ctx)
{
    if (vd->n_handlers == VIRTIO_MAX_QUEUES)
        return -ENOSPC;
    vd->handlers[vd->n_handlers].fn = fn;
    vd->handlers[vd->n_handlers].ctx = ctx;
    vd->handlers[vd->n_handlers].q = q;
    vd->n_handlers++;
    if (!vd->irq_routed) {
        if (ioapic_route(vd->gsi, mmio_irq, vd) < 0)
            return -ENOSPC;
        vd->irq_routed = 1;
    }
    wr(vd, QUEUE_NUM, q->vq.size);
    wr64(vd, QUEUE_DESC, (uint64_t)(uintptr_t)q->vq.desc);
    wr64(vd, QUEUE_DRIVER, (uint64_t)(uintptr_t)q->vq.avail);
    wr64(vd, QUEUE_DEVICE, (uint64_t)(uintptr_t)q->vq.used);
    q->notify32 = 1;
    q->notify = vd->regs + QUEUE_NOTIFY;
    wr(vd, QUEUE_READY, 1);
    return 0;
}

static volatile uint8_t *config(struct virtio_dev *vd)
{
    return vd->regs + CONFIG;
}

static uint8_t config_generation(struct virtio_dev *vd)
{
    return (uint8_t)rd(vd, CONFIG_GENERATION);
}

const struct virtio_transport virtio_mmio_transport = {
    setup,     get_status, set_status, get_features,      set_features,
    queue_max, queue_set,  config,     config_generation,
};
