/* The store's disk in the image: <libos/blk.h> calls as struct store_disk
 * operations (which return a negative errno instead of setting errno). */
#include "disk.h"

#include <errno.h>
#include <libos/blk.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int disk_read(void *ctx, uint64_t sector, void *buf, size_t count)
{
    return blk_read((int)(intptr_t)ctx, sector, buf, count) < 0 ? -errno : 0;
}

static int disk_write(void *ctx, uint64_t sector, const void *buf, size_t count)
{
    return blk_write((int)(intptr_t)ctx, sector, buf, count) < 0 ? -errno : 0;
}

static int disk_flush(void *ctx)
{
    return blk_flush((int)(intptr_t)ctx) < 0 ? -errno : 0;
}

int store_disk_blk(int dev, struct store_disk *disk, char *err, size_t errsize)
{
    struct blk_info info;
    if (blk_info(dev, &info) < 0) {
        snprintf(err, errsize, "disk %d: %s (attach one: tools/run --disk FILE)", dev,
                 strerror(errno));
        return -1;
    }
    if (info.read_only) {
        snprintf(err, errsize, "disk %d is read-only; the store needs to write", dev);
        return -1;
    }
    *disk = (struct store_disk){
        .ctx = (void *)(intptr_t)dev,
        .sectors = info.sectors,
        .sector_size = info.sector_size,
        .read = disk_read,
        .write = disk_write,
        .flush = disk_flush,
    };
    return 0;
}
