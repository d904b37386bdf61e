/* Command-line parser: splits the loader's command line into kernel options
 * and the application's argv at the first bare "--". Device words a
 * hypervisor appends (virtio_mmio.device=...) are kernel options wherever
 * they stand: QEMU microvm adds them after the whole -append text. */
#include "cmdline.h"

#include <stddef.h>
#include <string.h>

/* Words that describe the machine, not the app, even after "--". */
static int is_device_word(const char *w)
{
    return strncmp(w, "virtio_mmio.device=", 19) == 0;
}

/* Copy the next word of *src into *dst (quotes and backslashes resolved).
 * Return 1 if a word was found, 0 at end of text. */
static int next_word(const char **src, char **dst, char *end)
{
    const char *s = *src;
    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++;
    if (*s == '\0')
        return 0;
    char *d = *dst;
    int quoted = 0;
    for (; *s && (quoted || (*s != ' ' && *s != '\t' && *s != '\n')); s++) {
        if (*s == '"') {
            quoted = !quoted;
            continue;
        }
        if (*s == '\\' && s[1])
            s++;
        if (d < end - 1)
            *d++ = *s;
    }
    *d++ = '\0';
    *src = s;
    *dst = d;
    return 1;
}

int cmdline_parse(struct cmdline *cl, const char *text, const char *prog)
{
    memset(cl, 0, sizeof(*cl));
    char *d = cl->buf, *end = cl->buf + sizeof(cl->buf);
    int dropped = 0, in_args = 0;

    size_t plen = strlen(prog);
    if (plen >= sizeof(cl->buf) / 2)
        plen = sizeof(cl->buf) / 2 - 1;
    memcpy(d, prog, plen);
    d[plen] = '\0';
    cl->argv[cl->argc++] = d;
    d += plen + 1;

    const char *s = text ? text : "";
    char *word = d;
    while (d < end - 1 && next_word(&s, &d, end)) {
        int device = is_device_word(word);
        if (!in_args && strcmp(word, "--") == 0)
            in_args = 1;
        else if (in_args && !device && cl->argc < MAX_ARGS)
            cl->argv[cl->argc++] = word;
        else if ((!in_args || device) && cl->n_opts < MAX_ARGS)
            cl->opts[cl->n_opts++] = word;
        else
            dropped++;
        word = d;
    }
    cl->argv[cl->argc] = NULL;
    return dropped;
}

const char *cmdline_opt(const struct cmdline *cl, const char *key)
{
    size_t klen = strlen(key);
    const char *found = NULL;
    for (int i = 0; i < cl->n_opts; i++) {
        const char *o = cl->opts[i];
        if (strncmp(o, key, klen) == 0 && (o[klen] == '=' || o[klen] == '\0'))
            found = o[klen] == '=' ? o + klen + 1 : o + klen; /* the last one wins */
    }
    return found;
}

const char *cmdline_opt_nth(const struct cmdline *cl, const char *key, int n)
{
    size_t klen = strlen(key);
    for (int i = 0; i < cl->n_opts; i++) {
        const char *o = cl->opts[i];
        if (strncmp(o, key, klen) == 0 && (o[klen] == '=' || o[klen] == '\0') && n-- == 0)
            return o[klen] == '=' ? o + klen + 1 : o + klen;
    }
    return NULL;
}
