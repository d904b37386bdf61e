/* Boot modules, as the kernel's boot_info recorded them (identity-mapped
 * RAM, reserved from the page allocator). */
#include <errno.h>

#include "internal.h"
#include "libos/modules.h"

int libos_module_count(void)
{
    return (int)kernel_boot_info()->n_mod;
}

const void *libos_module(int i, size_t *len, const char **name)
{
    const struct boot_info *bi = kernel_boot_info();
    if (i < 0 || (uint32_t)i >= bi->n_mod) {
        errno = EINVAL;
        return NULL;
    }
    const struct boot_module *m = &bi->mod[i];
    if (len)
        *len = (size_t)(m->end - m->start);
    if (name)
        *name = m->name;
    return (const void *)(uintptr_t)m->start;
}
