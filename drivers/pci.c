/* PCI enumeration through configuration mechanism #1 (ports 0xcf8/0xcfc),
 * BAR decoding, capability-list walks and MSI-X routing. Every bus is
 * scanned by brute force, so devices behind bridges are found without
 * following the bridges. References: PCI Local Bus 3.0, 3.2.2.3.2
 * (mechanism #1), 6.1-6.2 (configuration header), 6.8.2 (MSI-X). */
#include "pci.h"

#include <errno.h>

#include "cpu.h"

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA 0xcfc

/* Configuration header offsets (6.1). */
#define PCI_VENDOR 0x00
#define PCI_DEVICE 0x02
#define PCI_COMMAND 0x04
#define PCI_STATUS 0x06
#define PCI_CLASS_REV 0x08
#define PCI_HEADER_TYPE 0x0e
#define PCI_BAR0 0x10
#define PCI_CAP_PTR 0x34

#define CMD_MEMORY (1u << 1)
#define CMD_BUS_MASTER (1u << 2)
#define CMD_INTX_DISABLE (1u << 10)
#define STATUS_CAP_LIST (1u << 4)

/* MSI-X capability (6.8.2): message control, then table offset + BIR. */
#define MSIX_CTRL 2
#define MSIX_TABLE 4
#define MSIX_CTRL_ENABLE (1u << 15)
#define MSIX_CTRL_MASK_ALL (1u << 14)
#define MSIX_ENTRY_WORDS 4 /* address low, address high, data, vector control */
#define MSIX_VEC_MASKED 1u

static void select_reg(const struct pci_dev *d, uint8_t off)
{
    outl(CONFIG_ADDRESS, 0x80000000u | (uint32_t)d->bus << 16 | (uint32_t)d->slot << 11 |
                             (uint32_t)d->func << 8 | (off & 0xfcu));
}

/* Configuration cycles are two port accesses; interrupt handlers never
 * touch PCI configuration space, and threads do not switch in between, so
 * no lock is needed. */
uint32_t pci_read32(const struct pci_dev *d, uint8_t off)
{
    select_reg(d, off);
    return inl(CONFIG_DATA);
}

uint16_t pci_read16(const struct pci_dev *d, uint8_t off)
{
    select_reg(d, off);
    return inw((uint16_t)(CONFIG_DATA + (off & 2)));
}

uint8_t pci_read8(const struct pci_dev *d, uint8_t off)
{
    select_reg(d, off);
    return inb((uint16_t)(CONFIG_DATA + (off & 3)));
}

void pci_write16(const struct pci_dev *d, uint8_t off, uint16_t v)
{
    select_reg(d, off);
    outw((uint16_t)(CONFIG_DATA + (off & 2)), v);
}

/* Decode the six BARs of a type-0 header (6.2.5.1). A 64-bit memory BAR
 * takes two slots; the upper one is left 0. */
static void read_bars(struct pci_dev *d)
{
    for (int i = 0; i < PCI_BARS; i++) {
        uint32_t v = pci_read32(d, (uint8_t)(PCI_BAR0 + 4 * i));
        d->bar_is_io[i] = v & 1;
        if (v & 1) {
            d->bar[i] = v & ~3u;
        } else if (((v >> 1) & 3) == 2 && i + 1 < PCI_BARS) {
            uint32_t hi = pci_read32(d, (uint8_t)(PCI_BAR0 + 4 * (i + 1)));
            d->bar[i] = ((uint64_t)hi << 32) | (v & ~0xfu);
            d->bar[++i] = 0;
        } else {
            d->bar[i] = v & ~0xfu;
        }
    }
}

static void read_function(struct pci_dev *d)
{
    d->vendor = pci_read16(d, PCI_VENDOR);
    d->device = pci_read16(d, PCI_DEVICE);
    uint32_t cr = pci_read32(d, PCI_CLASS_REV);
    d->class = (uint8_t)(cr >> 24);
    d->subclass = (uint8_t)(cr >> 16);
    d->prog_if = (uint8_t)(cr >> 8);
    for (int i = 0; i < PCI_BARS; i++)
        d->bar[i] = d->bar_is_io[i] = 0;
    if ((pci_read8(d, PCI_HEADER_TYPE) & 0x7f) == 0)
        read_bars(d);
    d->msix_cap = 0;
    d->msix_size = 0;
    d->msix_table = NULL;
}

int pci_find(uint16_t vendor, int device, int (*fn)(struct pci_dev *d, void *arg), void *arg)
{
    struct pci_dev d = {0};
    for (int bus = 0; bus < 256; bus++) {
        for (int slot = 0; slot < 32; slot++) {
            for (int func = 0; func < 8; func++) {
                d.bus = (uint8_t)bus;
                d.slot = (uint8_t)slot;
                d.func = (uint8_t)func;
                uint16_t v = pci_read16(&d, PCI_VENDOR);
                if (v == 0xffff) { /* nothing answers: no function here */
                    if (func == 0)
                        break;
                    continue;
                }
                int multi = pci_read8(&d, PCI_HEADER_TYPE) & 0x80;
                if (v == vendor && (device == PCI_ANY || pci_read16(&d, PCI_DEVICE) == device)) {
                    read_function(&d);
                    int r = fn(&d, arg);
                    if (r)
                        return r;
                }
                if (func == 0 && !multi)
                    break;
            }
        }
    }
    return 0;
}

uint8_t pci_cap_find(const struct pci_dev *d, uint8_t id, uint8_t after)
{
    if (!(pci_read16(d, PCI_STATUS) & STATUS_CAP_LIST))
        return 0;
    uint8_t off = after ? pci_read8(d, (uint8_t)(after + 1)) : pci_read8(d, PCI_CAP_PTR);
    /* At most 48 capabilities fit above the header: a longer list loops. */
    for (int n = 0; n < 48 && (off &= 0xfc) >= 0x40; n++) {
        if (pci_read8(d, off) == id)
            return off;
        off = pci_read8(d, (uint8_t)(off + 1));
    }
    return 0;
}

void pci_enable(const struct pci_dev *d)
{
    uint16_t cmd = pci_read16(d, PCI_COMMAND);
    pci_write16(d, PCI_COMMAND, cmd | CMD_MEMORY | CMD_BUS_MASTER | CMD_INTX_DISABLE);
}

int pci_msix_init(struct pci_dev *d)
{
    uint8_t cap = pci_cap_find(d, PCI_CAP_MSIX, 0);
    if (!cap)
        return -ENODEV;
    uint16_t ctrl = pci_read16(d, (uint8_t)(cap + MSIX_CTRL));
    uint32_t table = pci_read32(d, (uint8_t)(cap + MSIX_TABLE));
    unsigned bir = table & 7;
    if (bir >= PCI_BARS || d->bar_is_io[bir] || !d->bar[bir])
        return -ENODEV;
    uint16_t size = (uint16_t)((ctrl & 0x7ff) + 1);
    uint64_t pa = d->bar[bir] + (table & ~7u);
    if (vm_map_mmio(pa, (uint64_t)size * MSIX_ENTRY_WORDS * 4) < 0)
        return -ENOMEM;
    d->msix_cap = cap;
    d->msix_size = size;
    d->msix_table = (volatile uint32_t *)(uintptr_t)pa; /* MMIO: virtual == physical */
    /* Enable with the whole function masked first, so no entry fires while
     * the table still holds whatever the firmware left there. */
    pci_write16(d, (uint8_t)(cap + MSIX_CTRL),
                (uint16_t)(ctrl | MSIX_CTRL_ENABLE | MSIX_CTRL_MASK_ALL));
    for (unsigned i = 0; i < size; i++)
        d->msix_table[i * MSIX_ENTRY_WORDS + 3] |= MSIX_VEC_MASKED;
    return 0;
}

int pci_msix_route(struct pci_dev *d, unsigned entry, irq_handler fn, void *ctx)
{
    if (!d->msix_table || entry >= d->msix_size)
        return -EINVAL;
    uint64_t addr;
    uint32_t data;
    if (msi_alloc(fn, ctx, &addr, &data) < 0)
        return -ENOSPC;
    /* The table is mapped uncached, and x86 keeps uncached stores in
     * program order, so the entry is complete before it is unmasked. */
    volatile uint32_t *e = &d->msix_table[entry * MSIX_ENTRY_WORDS];
    e[0] = (uint32_t)addr;
    e[1] = (uint32_t)(addr >> 32);
    e[2] = data;
    e[3] &= ~MSIX_VEC_MASKED;
    uint16_t ctrl = pci_read16(d, (uint8_t)(d->msix_cap + MSIX_CTRL));
    pci_write16(d, (uint8_t)(d->msix_cap + MSIX_CTRL),
                (uint16_t)((ctrl | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_MASK_ALL));
    return 0;
}
