/* Where zones come from on Linux: the files named with -z, read whole at
 * startup. The unikernel build uses source_boot.c instead. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns.h"

const char zone_sources_help[] = "serve the zone in ZONEFILE (repeatable); a file named "
                                 "NAME.zone has origin NAME until $ORIGIN";

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap)
            break;
        char *bigger = realloc(buf, cap *= 2);
        if (!bigger)
            free(buf);
        buf = bigger;
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        errno = EIO;
        return NULL;
    }
    *len = n;
    return buf;
}

/* The texts stay allocated for the life of the program: the zone index
 * refers to their names. Returns how many, or -1 with err set. */
int zone_sources(char **files, int nfiles, struct zone_src *out, int max, char *err, size_t errlen)
{
    if (nfiles > max) {
        snprintf(err, errlen, "too many zones (at most %d)", max);
        return -1;
    }
    for (int i = 0; i < nfiles; i++) {
        out[i].name = files[i];
        out[i].text = read_file(files[i], &out[i].len);
        if (!out[i].text) {
            snprintf(err, errlen, "%s: %s", files[i], strerror(errno));
            return -1;
        }
    }
    return nfiles;
}
