/* What the virtio-pci capabilities (virtio 1.2, 4.1.4) let the driver
 * reach, checked before it is used (virtio_pci_cap.c). No hardware access,
 * so the host unit tests run it. */
#ifndef DRIVERS_VIRTIO_PCI_CAP_H
#define DRIVERS_VIRTIO_PCI_CAP_H

#include <stdint.h>

/* 4.1.4.4: the byte offset of a queue's doorbell, queue_notify_off *
 * multiplier, in a notification structure of cap_len bytes; -1 when the
 * 16-bit doorbell there does not lie wholly inside it (a device bug: the
 * write would land on whatever follows the structure). */
int64_t virtio_pci_notify_offset(uint16_t queue_notify_off, uint32_t multiplier, uint32_t cap_len);

#endif
