/* CRC32C (Castagnoli polynomial, iSCSI / ext4 / SCTP variant): the checksum
 * that guards every structure the event store writes to disk. */
#ifndef SIEM_STORE_CRC32C_H
#define SIEM_STORE_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/* Continues a CRC over len more bytes: start with crc = 0, pass the result
 * of the previous call to extend it. crc32c(0, "123456789", 9) is
 * 0xE3069283. */
uint32_t crc32c(uint32_t crc, const void *data, size_t len);

#endif
