/* In-memory disk with fault injection for the event store tests. */
#include "memdisk.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct memdisk *memdisk_new(uint64_t bytes, uint32_t sector_size)
{
    struct memdisk *m = calloc(1, sizeof(*m));
    if (!m)
        abort();
    m->sector_size = sector_size;
    m->sectors = bytes / sector_size;
    m->data = calloc(m->sectors ? m->sectors : 1, sector_size);
    if (!m->data)
        abort();
    m->tear_after = -1;
    return m;
}

void memdisk_free(struct memdisk *m)
{
    free(m->data);
    free(m);
}

static int in_range(const struct memdisk *m, uint64_t sector, size_t count)
{
    return sector <= m->sectors && count <= m->sectors - sector;
}

static int md_read(void *ctx, uint64_t sector, void *buf, size_t count)
{
    struct memdisk *m = ctx;
    if (!in_range(m, sector, count))
        return -EINVAL;
    memcpy(buf, m->data + sector * m->sector_size, count * m->sector_size);
    return 0;
}

static int md_write(void *ctx, uint64_t sector, const void *buf, size_t count)
{
    struct memdisk *m = ctx;
    if (!in_range(m, sector, count))
        return -EINVAL;
    if (m->fail_write)
        return -EIO;
    size_t n = count * m->sector_size;
    m->writes++;
    if (m->tear_after >= 0) {
        /* The machine dies during this write: a prefix lands, the rest
         * (and everything after) never does, and nobody hears of it. */
        size_t land = (size_t)m->tear_after < n ? (size_t)m->tear_after : n;
        m->tear_after -= (long)land;
        n = land;
    }
    memcpy(m->data + sector * m->sector_size, buf, n);
    m->bytes_written += n;
    return 0;
}

static int md_flush(void *ctx)
{
    struct memdisk *m = ctx;
    m->flushes++;
    return m->fail_flush ? -EIO : 0;
}

struct store_disk memdisk_ops(struct memdisk *m)
{
    return (struct store_disk){
        .ctx = m,
        .sectors = m->sectors,
        .sector_size = m->sector_size,
        .read = md_read,
        .write = md_write,
        .flush = md_flush,
    };
}

uint8_t *memdisk_save(const struct memdisk *m)
{
    size_t n = m->sectors * m->sector_size;
    uint8_t *copy = malloc(n ? n : 1);
    if (!copy)
        abort();
    memcpy(copy, m->data, n);
    return copy;
}

void memdisk_restore(struct memdisk *m, const uint8_t *saved)
{
    memcpy(m->data, saved, m->sectors * m->sector_size);
}
