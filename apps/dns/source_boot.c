/* Where zones come from on the unikernel: boot modules (QEMU -initrd,
 * GRUB module2), one zone file each, named by the loader. There is no file
 * system, so -z is refused. The Linux build uses source_host.c instead. */
#include <stdio.h>

#include <libos/modules.h>

#include "dns.h"

const char zone_sources_help[] = "not on the unikernel (no file system): give zone files as "
                                 "boot modules (QEMU -initrd FILE, GRUB module2 FILE)";

int zone_sources(char **files, int nfiles, struct zone_src *out, int max, char *err, size_t errlen)
{
    static char unnamed[64][16];
    if (nfiles > 0) {
        snprintf(err, errlen, "-z %s: no file system here; pass zone files as boot modules",
                 files[0]);
        return -1;
    }
    int n = libos_module_count();
    if (n > max || n > (int)(sizeof(unnamed) / sizeof(unnamed[0]))) {
        snprintf(err, errlen, "%d boot modules, at most %d zones", n, max);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const char *name;
        out[i].text = libos_module(i, &out[i].len, &name);
        if (!name || !name[0]) { /* QEMU's -initrd gives no name */
            snprintf(unnamed[i], sizeof(unnamed[0]), "module%d", i);
            name = unnamed[i];
        }
        out[i].name = name;
    }
    return n;
}
