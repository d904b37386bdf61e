/* <libos/fw_cfg.h> for the SIEM modules as Linux programs: the one fw_cfg
 * file they read, the secrets file opt/siem/secrets, is the file the
 * environment variable SIEM_SECRETS names (docs/siem.md "On Linux"). */
#include <libos/fw_cfg.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

ssize_t libos_fw_cfg_read(const char *name, void *buf, size_t size)
{
    const char *path = strcmp(name, "opt/siem/secrets") == 0 ? getenv("SIEM_SECRETS") : NULL;
    if (!path || !*path) {
        errno = ENOENT;
        return -1;
    }
    /* A secrets file named but unreadable is an operator's mistake, not
     * "no secrets": the module would connect anonymously. */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        fprintf(stderr, "SIEM_SECRETS=%s: %s\n", path, strerror(errno));
        exit(2);
    }
    size_t want = (size_t)st.st_size < size ? (size_t)st.st_size : size, got = 0;
    while (got < want) {
        ssize_t n = read(fd, (char *)buf + got, want - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    return got < want ? (ssize_t)got : (ssize_t)st.st_size;
}
