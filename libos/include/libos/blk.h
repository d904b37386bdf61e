/* Block devices: the disks attached to the VM (virtio-blk; `tools/run
 * --disk FILE`), numbered 0 .. blk_count() - 1 in PCI order, each an array
 * of fixed-size sectors read and written in place. There is no file system
 * and no cache: every call goes to the device.
 *
 * Error contract. Every function except blk_count returns 0 on success and
 * -1 on failure with errno set to exactly one of:
 *   ENODEV  dev is not an attached disk (always, when no disk is attached);
 *   EINVAL  dev is negative, buf is NULL with count > 0, or the range
 *           [sector, sector + count) is not inside the disk;
 *   EROFS   a write to a read-only disk (checked after the above);
 *   EFAULT  part of buf is not mapped memory, or, for blk_read, not
 *           writable memory (.text, .rodata: the device honours W^X too);
 *   EIO     the device reported an error.
 * On EFAULT or EIO some of the sectors may already have been transferred;
 * on any other error nothing was. count == 0 succeeds without I/O.
 *
 * Concurrency: a call blocks only the calling thread until the device is
 * done; other threads keep running, and several threads may have requests
 * in flight on the same disk. buf may be anywhere in memory (heap, stack,
 * static; writable memory for a read); it must stay valid until the call
 * returns.
 *
 * Durability: a successful blk_write has reached the device; it survives a
 * crash of the VM only after blk_flush (on disks without a write cache,
 * blk_flush succeeds at once). The first call of any function finds the
 * disks; an image that calls none contains no disk driver. */
#ifndef LIBOS_BLK_H
#define LIBOS_BLK_H

#include <stddef.h>
#include <stdint.h>

struct blk_info {
    uint64_t sectors;     /* capacity in sectors */
    uint32_t sector_size; /* bytes per sector: 512, or what the device reports */
    int read_only;        /* writes fail with EROFS */
};

/* Number of attached disks (0 when there are none); never fails. */
int blk_count(void);
/* Capacity, sector size and read-only flag of disk dev. */
int blk_info(int dev, struct blk_info *info);
/* Read count sectors starting at sector into buf (count * sector_size bytes). */
int blk_read(int dev, uint64_t sector, void *buf, size_t count);
/* Write count sectors starting at sector from buf. */
int blk_write(int dev, uint64_t sector, const void *buf, size_t count);
/* Make every completed write durable (VIRTIO_BLK_F_FLUSH). */
int blk_flush(int dev);

#endif
