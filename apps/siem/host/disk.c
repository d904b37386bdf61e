/* The store's disk as a Linux program: a regular file (the environment
 * variable SIEM_STORE_DISK names it; its size is the disk's), in place of
 * the virtio-blk disk of apps/siem/store/disk.c. A flush is fdatasync, so
 * a batch is acknowledged only once the file's data is on the device. */
#include "disk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SECTOR 512

static int disk_read(void *ctx, uint64_t sector, void *buf, size_t count)
{
    ssize_t n = pread((int)(intptr_t)ctx, buf, count * SECTOR, (off_t)(sector * SECTOR));
    return n == (ssize_t)(count * SECTOR) ? 0 : n < 0 ? -errno : -EIO;
}

static int disk_write(void *ctx, uint64_t sector, const void *buf, size_t count)
{
    ssize_t n = pwrite((int)(intptr_t)ctx, buf, count * SECTOR, (off_t)(sector * SECTOR));
    return n == (ssize_t)(count * SECTOR) ? 0 : n < 0 ? -errno : -EIO;
}

static int disk_flush(void *ctx)
{
    return fdatasync((int)(intptr_t)ctx) < 0 ? -errno : 0;
}

int store_disk_blk(int dev, struct store_disk *disk, char *err, size_t errsize)
{
    const char *path = getenv("SIEM_STORE_DISK");
    if (!path || !*path || dev != 0) {
        snprintf(err, errsize,
                 "disk %d: no such disk (on Linux: disk=0, the file SIEM_STORE_DISK "
                 "names)",
                 dev);
        return -1;
    }
    int fd = open(path, O_RDWR | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        snprintf(err, errsize, "SIEM_STORE_DISK=%s: %s", path, strerror(errno));
        return -1;
    }
    *disk = (struct store_disk){
        .ctx = (void *)(intptr_t)fd,
        .sectors = (uint64_t)st.st_size / SECTOR,
        .sector_size = SECTOR,
        .read = disk_read,
        .write = disk_write,
        .flush = disk_flush,
    };
    return 0;
}
