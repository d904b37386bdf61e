/* Bounds checks on what a virtio-pci device's capabilities say (virtio
 * 1.2, 4.1.4): the driver writes only inside the structures the device
 * described, whatever the offsets it reports. */
#include "virtio_pci_cap.h"

int64_t virtio_pci_notify_offset(uint16_t queue_notify_off, uint32_t multiplier, uint32_t cap_len)
{
    /* 4.1.4.4.1: the device MUST make cap.length at least
     * queue_notify_off * notify_off_multiplier + 2. Both factors are
     * narrow enough that the product cannot overflow 64 bits. */
    uint64_t off = (uint64_t)queue_notify_off * multiplier;
    if (off + sizeof(uint16_t) > cap_len)
        return -1;
    return (int64_t)off;
}
