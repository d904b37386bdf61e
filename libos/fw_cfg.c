/* libos_fw_cfg_read (libos/fw_cfg.h) over the fw_cfg driver. */
#include "libos/fw_cfg.h"

#include <errno.h>

#include "fw_cfg.h"

ssize_t libos_fw_cfg_read(const char *name, void *buf, size_t size)
{
    uint16_t select;
    uint32_t len;
    if (fw_cfg_find(name, &select, &len) < 0) {
        errno = ENOENT;
        return -1;
    }
    fw_cfg_read(select, buf, len < size ? len : size);
    return (ssize_t)len;
}
