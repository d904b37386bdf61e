/* virtio-blk (virtio 1.2, 5.2): disks as arrays of sectors (virtio_blk.c).
 * libos/blk.c is the only user; it probes on the first call so images that
 * never touch a disk do not link this driver. */
#ifndef DRIVERS_VIRTIO_BLK_H
#define DRIVERS_VIRTIO_BLK_H

#include <stddef.h>
#include <stdint.h>

#define VIRTIO_BLK_MAX_DISKS 8    /* disks driven at once (each takes one MSI vector) */
#define VIRTIO_BLK_QUEUE_SIZE 128 /* descriptors per disk, at most */
#define VIRTIO_BLK_MAX_SEGS 64    /* data descriptors per request (256 KiB or more) */

struct virtio_blk_info {
    uint64_t sectors;     /* capacity, in sectors of sector_size bytes */
    uint32_t sector_size; /* 512 unless the device reports another (BLK_SIZE) */
    int read_only;        /* VIRTIO_BLK_F_RO */
    int flush;            /* VIRTIO_BLK_F_FLUSH: writes are cached until a flush */
};

/* Find and initialise every virtio-blk device (once); the number found. */
int virtio_blk_probe(void);
/* 0, or -ENODEV when dev is not a probed disk. */
int virtio_blk_info(int dev, struct virtio_blk_info *out);
/* Transfer count sectors from sector on; buf may be any mapped memory
 * (writable memory for a read) and the calling thread sleeps until the
 * device is done. 0 or -errno: ENODEV, EINVAL (range, NULL buf), EROFS,
 * EFAULT (buf not mapped, or read into memory that is not writable), EIO. */
int virtio_blk_rw(int dev, int write, uint64_t sector, void *buf, size_t count);
/* Make completed writes durable; 0 or -ENODEV / -EIO. */
int virtio_blk_flush(int dev);

#endif
