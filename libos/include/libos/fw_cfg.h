/* Files the host hands the VM through QEMU's fw_cfg device
 * (-fw_cfg name=opt/NAME,file=FILE; tools/run --fw-cfg NAME=FILE): a
 * channel that keeps their contents off the QEMU command line, e.g. for
 * secrets. */
#ifndef LIBOS_FW_CFG_H
#define LIBOS_FW_CFG_H

#include <stddef.h>
#include <sys/types.h>

/* Reads up to size bytes of the fw_cfg file name (e.g. "opt/siem/secrets")
 * into buf. Returns the file's whole size (more than size: only size bytes
 * were read), or -1 with errno = ENOENT when there is no such file (or no
 * fw_cfg device). */
ssize_t libos_fw_cfg_read(const char *name, void *buf, size_t size);

#endif
