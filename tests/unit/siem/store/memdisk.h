/* An in-memory disk for the event store tests, with faults to inject:
 * writes cut off after a byte budget (a crash mid-write), failing writes
 * and failing flushes. */
#ifndef SIEM_STORE_TEST_MEMDISK_H
#define SIEM_STORE_TEST_MEMDISK_H

#include <stddef.h>
#include <stdint.h>

#include "log.h"

struct memdisk {
    uint8_t *data;
    uint64_t sectors;
    uint32_t sector_size;
    long tear_after; /* >= 0: bytes still written; then writes are lost */
    int fail_write;  /* write returns -EIO */
    int fail_flush;  /* flush returns -EIO */
    uint64_t bytes_written, writes, flushes;
};

/* A zeroed disk of `bytes` (rounded down to sectors); abort on no memory. */
struct memdisk *memdisk_new(uint64_t bytes, uint32_t sector_size);
void memdisk_free(struct memdisk *m);
/* The store_disk view of m. */
struct store_disk memdisk_ops(struct memdisk *m);
/* Copies of the contents, to snapshot and restore around a crash. */
uint8_t *memdisk_save(const struct memdisk *m);
void memdisk_restore(struct memdisk *m, const uint8_t *saved);

#endif
