/* <libos/blk.h>: the POSIX-style face of the disk driver. Disks are probed
 * on the first call, so only images that use blk_* link virtio-blk (and
 * PCI and virtio with it); driver errors become -1 + errno. */
#include <errno.h>
#include <libos/blk.h>

#include "virtio_blk.h"

static int result(int err)
{
    if (err < 0) {
        errno = -err;
        return -1;
    }
    return 0;
}

/* dev < 0 is a malformed argument, EINVAL; a dev beyond the attached disks
 * names nothing, ENODEV (the driver's answer for both). */
static int check_dev(int dev)
{
    virtio_blk_probe();
    return dev < 0 ? -EINVAL : 0;
}

int blk_count(void)
{
    return virtio_blk_probe();
}

int blk_info(int dev, struct blk_info *info)
{
    struct virtio_blk_info vi;
    int err = check_dev(dev);
    if (!err)
        err = virtio_blk_info(dev, &vi);
    if (!err && !info)
        err = -EINVAL;
    if (!err)
        *info = (struct blk_info){vi.sectors, vi.sector_size, vi.read_only};
    return result(err);
}

int blk_read(int dev, uint64_t sector, void *buf, size_t count)
{
    int err = check_dev(dev);
    return result(err ? err : virtio_blk_rw(dev, 0, sector, buf, count));
}

int blk_write(int dev, uint64_t sector, const void *buf, size_t count)
{
    int err = check_dev(dev);
    /* The driver takes a plain pointer for both directions; it only reads
     * buf for a write. */
    return result(err ? err : virtio_blk_rw(dev, 1, sector, (void *)(uintptr_t)buf, count));
}

int blk_flush(int dev)
{
    int err = check_dev(dev);
    return result(err ? err : virtio_blk_flush(dev));
}
