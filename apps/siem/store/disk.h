/* The store's disk in the image: a virtio-blk device behind <libos/blk.h>,
 * seen through the log's struct store_disk. */
#ifndef STORE_DISK_H
#define STORE_DISK_H

#include <stddef.h>

#include "log.h"

/* Fills disk for block device dev; -1 with a one-line reason in err when
 * there is no such disk or it is read-only. */
int store_disk_blk(int dev, struct store_disk *disk, char *err, size_t errsize);

#endif
