/* modtest: prints each boot module's name, length and first line, so a boot
 * test can check that -initrd / module2 data reaches the app intact. */
#include <stdio.h>
#include <string.h>

#include <libos/modules.h>

int main(void)
{
    int n = libos_module_count();
    printf("modules: %d\n", n);
    for (int i = 0; i < n; i++) {
        size_t len;
        const char *name;
        const char *p = libos_module(i, &len, &name);
        const char *nl = memchr(p, '\n', len);
        int first = (int)(nl ? (size_t)(nl - p) : len);
        unsigned sum = 0;
        for (size_t k = 0; k < len; k++)
            sum = sum * 31 + (unsigned char)p[k];
        printf("module %d: name '%s' length %zu sum %08x first '%.*s'\n", i, name, len, sum, first,
               p);
    }
    return libos_module(n, NULL, NULL) == NULL ? 0 : 1;
}
