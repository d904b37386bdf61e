/* libFuzzer target: any bytes (up to the first NUL) as the kernel command
 * line (kernel/cmdline.c). Every argv and option pointer must point at a
 * string that ends inside the parser's buffer, the counts must stay within
 * MAX_ARGS, and option lookups must return such strings or NULL; otherwise
 * the target aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"

static struct cmdline cl;

static void inside(const char *s)
{
    if (!s || s < cl.buf || s >= cl.buf + sizeof(cl.buf) ||
        !memchr(s, '\0', (size_t)(cl.buf + sizeof(cl.buf) - s)))
        abort();
}

/* Looks up the key of option i (the part before '='). */
static void lookup(int i)
{
    char key[64];
    size_t n = strcspn(cl.opts[i], "=");
    if (n >= sizeof(key))
        return;
    memcpy(key, cl.opts[i], n);
    key[n] = '\0';
    const char *v = cmdline_opt(&cl, key);
    inside(v); /* the option itself is there */
    for (int k = 0; (v = cmdline_opt_nth(&cl, key, k)) != NULL; k++)
        if (k > cl.n_opts)
            abort();
        else
            inside(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = '\0';
    int dropped = cmdline_parse(&cl, text, "app");
    free(text);
    if (dropped < 0 || cl.argc < 1 || cl.argc > MAX_ARGS || cl.n_opts < 0 || cl.n_opts > MAX_ARGS)
        abort();
    if (strcmp(cl.argv[0], "app") != 0 || cl.argv[cl.argc] != NULL)
        abort();
    for (int i = 0; i < cl.argc; i++)
        inside(cl.argv[i]);
    for (int i = 0; i < cl.n_opts; i++)
        inside(cl.opts[i]);
    for (int i = 0; i < cl.n_opts && i < 4; i++)
        lookup(i);
    return 0;
}
