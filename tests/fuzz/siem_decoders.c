/* libFuzzer target: the decoder rule base loader (a deployment's rule
 * base arrives as a boot module). Any bytes must load or be refused with a
 * "file:line: reason" message; a base that loads must decode its own text,
 * line by line, as messages of a few programs without reading out of
 * bounds, each field a valid name and value slice of the line or the base. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decoders.h"

static const char *const apps[] = {"sshd", "su", "p", "x(pam_unix)"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    err[0] = '\0';
    struct siem_decoders *b =
        siem_decoders_load((const char *)data, size, "f.rules", err, sizeof(err));
    if (!b) {
        if (strncmp(err, "f.rules:", 8) != 0 || !memchr(err, '\0', sizeof(err)))
            abort();
        return 0;
    }
    const char *p = (const char *)data, *end = p + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        char *line = malloc(len ? len : 1);
        memcpy(line, p, len);
        for (size_t a = 0; a < sizeof(apps) / sizeof(apps[0]); a++) {
            struct siem_decoded d;
            int r = siem_decode(b, apps[a], strlen(apps[a]), line, len, &d);
            if ((r && !d.decoder) || (!r && (d.decoder || d.n)) || d.n < 0 ||
                d.n > SIEM_DECODED_MAX)
                abort();
            for (int i = 0; i < d.n; i++) {
                if (!d.f[i].name || !d.f[i].p || d.f[i].len == 0)
                    abort();
                for (size_t k = 0; k < d.f[i].len; k++)
                    if ((unsigned char)d.f[i].p[k] < 0x20)
                        abort();
            }
        }
        free(line);
        p = nl ? nl + 1 : end;
    }
    siem_decoders_free(b);
    return 0;
}
