/* QEMU's firmware configuration device (fw_cfg) through its I/O ports:
 * the named files the host passes with -fw_cfg name=opt/...,file=FILE. */
#ifndef DRIVERS_FW_CFG_H
#define DRIVERS_FW_CFG_H

#include <stddef.h>
#include <stdint.h>

/* Looks name up in the device's file directory; 0 with its selector and
 * size, -1 when there is no device or no such file. */
int fw_cfg_find(const char *name, uint16_t *select, uint32_t *size);

/* Reads the first len bytes of the item select into buf. */
void fw_cfg_read(uint16_t select, void *buf, size_t len);

/* One entry of the file directory as the device lays it out (big endian
 * numbers): 0 and its selector and size when the entry's name is name. */
int fw_cfg_dir_entry(const uint8_t entry[64], const char *name, uint16_t *select, uint32_t *size);

#endif
