/* Boot modules: files the loader placed in memory next to the image (QEMU
 * -initrd, GRUB module2), so data can change without rebuilding the image.
 * They are read-only views; nothing is copied. */
#ifndef LIBOS_MODULES_H
#define LIBOS_MODULES_H

#include <stddef.h>

/* Number of boot modules (0 when none were given). */
int libos_module_count(void);

/* Module i (0-based): its bytes and length, and its name (the loader's
 * command line for it, e.g. the file name; may be ""). Returns NULL with
 * errno = EINVAL when i is out of range. */
const void *libos_module(int i, size_t *len, const char **name);

#endif
