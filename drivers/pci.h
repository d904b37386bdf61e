/* PCI: enumeration over configuration mechanism #1, BARs, the capability
 * list, and MSI-X (pci.c). Used by the virtio transport. */
#ifndef DRIVERS_PCI_H
#define DRIVERS_PCI_H

#include <stdint.h>

#include "kernel.h"

#define PCI_ANY (-1) /* pci_find: any device id */
#define PCI_BARS 6

/* Capability ids (PCI Local Bus 3.0, appendix H). */
#define PCI_CAP_VENDOR 0x09
#define PCI_CAP_MSIX 0x11

/* One function on the bus, as enumeration found it. */
struct pci_dev {
    uint8_t bus, slot, func;
    uint16_t vendor, device;
    uint8_t class, subclass, prog_if;
    /* Decoded base addresses: memory (32- or 64-bit) or I/O port; 0 when
     * the BAR is unused (or is the upper half of a 64-bit BAR). */
    uint64_t bar[PCI_BARS];
    uint8_t bar_is_io[PCI_BARS];
    /* MSI-X, once pci_msix_init has run. */
    uint8_t msix_cap;   /* capability offset, 0 if none */
    uint16_t msix_size; /* table entries */
    volatile uint32_t *msix_table;
};

/* Configuration space of d, at a byte offset (aligned to the access size). */
uint32_t pci_read32(const struct pci_dev *d, uint8_t off);
uint16_t pci_read16(const struct pci_dev *d, uint8_t off);
uint8_t pci_read8(const struct pci_dev *d, uint8_t off);
void pci_write16(const struct pci_dev *d, uint8_t off, uint16_t v);

/* Call fn(d, arg) for every function with this vendor (and device id, or
 * PCI_ANY), on every bus, in bus/slot/function order. Stops at and returns
 * the first non-zero value fn returns; 0 when fn never did. d is only valid
 * during the call: copy it to keep it. */
int pci_find(uint16_t vendor, int device, int (*fn)(struct pci_dev *d, void *arg), void *arg);

/* Offset of the first capability with this id after offset `after` (0: from
 * the start of the list), or 0 when there is none. */
uint8_t pci_cap_find(const struct pci_dev *d, uint8_t id, uint8_t after);

/* Let the function decode its memory BARs and master the bus (DMA), with
 * legacy INTx disabled: it will interrupt through MSI-X. */
void pci_enable(const struct pci_dev *d);

/* Find MSI-X, map its table, mask every entry and enable MSI-X with the
 * function masked. 0, -ENODEV (no MSI-X) or -ENOMEM (mapping failed). */
int pci_msix_init(struct pci_dev *d);
/* Route table entry `entry` to a fresh vector that runs fn(ctx) in interrupt
 * context, unmask it and unmask the function. Returns 0, -EINVAL (no such
 * entry) or -ENOSPC (no interrupt vector left). */
int pci_msix_route(struct pci_dev *d, unsigned entry, irq_handler fn, void *ctx);

#endif
