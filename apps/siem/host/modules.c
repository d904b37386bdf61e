/* <libos/modules.h> for the SIEM modules as Linux programs: boot module 0
 * (the normaliser's decoders=module, the correlator's rules=module) is the
 * file the environment variable SIEM_BOOT_MODULE names, read once. */
#include <libos/modules.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *data;
static size_t data_len;
static const char *path;

/* Reads the file on first use; a file named but unreadable ends the
 * program with status 2 and a line naming it. */
static void load(void)
{
    path = getenv("SIEM_BOOT_MODULE");
    if (!path || !*path || data)
        return;
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "SIEM_BOOT_MODULE=%s: %s\n", path, strerror(errno));
        exit(2);
    }
    size_t cap = 0;
    for (;;) {
        if (data_len == cap) {
            cap = cap ? 2 * cap : 65536;
            data = realloc(data, cap);
            if (!data)
                exit(1);
        }
        size_t n = fread(data + data_len, 1, cap - data_len, f);
        if (n == 0)
            break;
        data_len += n;
    }
    fclose(f);
}

int libos_module_count(void)
{
    load();
    return data ? 1 : 0;
}

const void *libos_module(int i, size_t *len, const char **name)
{
    load();
    if (i != 0 || !data) {
        errno = EINVAL;
        return NULL;
    }
    *len = data_len;
    if (name)
        *name = path;
    return data;
}
