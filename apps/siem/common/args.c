/* A module's typed argument table: finding a key, checking a value
 * against its type and range, printing the table. */
#include "args.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct module_arg *module_arg_find(struct module_arg *args, const char *word)
{
    size_t len = strcspn(word, "=");
    for (; args->key; args++) {
        if (strlen(args->key) == len && strncmp(args->key, word, len) == 0)
            return args;
    }
    return NULL;
}

/* A whole decimal number, all of text up to *end; -1 when there is none. */
static int number(const char *text, long long *n, const char **end)
{
    char *e;
    errno = 0;
    *n = strtoll(text, &e, 10);
    *end = e;
    return e == text || errno || *text == '-' || *text == '+' || *text == ' ' ? -1 : 0;
}

static int in_choices(const char *value, const char *choices)
{
    size_t len = strlen(value);
    for (const char *c = choices; *c;) {
        size_t n = strcspn(c, "|");
        if (n == len && strncmp(c, value, n) == 0)
            return 1;
        c += n + (c[n] == '|');
    }
    return 0;
}

/* ms as the largest unit it is a whole number of: 3650d, 90m, 1500ms. */
static void duration_text(long long ms, char *buf, size_t size)
{
    static const struct {
        long long ms;
        const char *unit;
    } units[] = {{86400000, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}, {1, "ms"}};
    size_t i = 0;
    while (ms && ms % units[i].ms)
        i++;
    snprintf(buf, size, "%lld%s", ms / units[i].ms, ms ? units[i].unit : "");
}

/* What a type accepts, for errors and help: "a number from 1 to 4096". */
static void accepted(const struct module_arg *a, char *buf, size_t size)
{
    char lo[24], hi[24];
    switch (a->type) {
    case MODULE_ARG_NUM:
        snprintf(buf, size, "a number from %lld to %lld", a->min, a->max);
        break;
    case MODULE_ARG_SIZE:
        snprintf(buf, size, "a size from %lld to %lld bytes (K, M or G: x1024)", a->min, a->max);
        break;
    case MODULE_ARG_DURATION:
        duration_text(a->min, lo, sizeof(lo));
        duration_text(a->max, hi, sizeof(hi));
        snprintf(buf, size, "0 or a number and a unit s, m, h or d, from %s to %s", lo, hi);
        break;
    case MODULE_ARG_ONOFF:
        snprintf(buf, size, "on or off");
        break;
    case MODULE_ARG_STRING:
        snprintf(buf, size, "%s", a->choices ? a->choices : "text");
        break;
    }
}

static long long scale(char unit, const char *units, const long long *factors)
{
    const char *u = unit ? strchr(units, unit) : NULL;
    return u ? factors[u - units] : 0;
}

int module_arg_check(struct module_arg *a, char *err, size_t errsize)
{
    static const long long size_f[] = {1LL << 10, 1LL << 20, 1LL << 30};
    static const long long time_f[] = {1000, 60000, 3600000, 86400000};
    const char *v = a->value, *end;
    long long n = 0, f = 1;
    int ok = 0;
    switch (a->type) {
    case MODULE_ARG_NUM:
        ok = number(v, &n, &end) == 0 && !*end;
        break;
    case MODULE_ARG_SIZE:
        ok = number(v, &n, &end) == 0 &&
             (!*end || (!end[1] && (f = scale(*end, "KMG", size_f)) != 0));
        break;
    case MODULE_ARG_DURATION:
        /* A bare 0 is "off"; anything else names its unit. */
        ok = number(v, &n, &end) == 0 &&
             ((n == 0 && !*end) || (*end && !end[1] && (f = scale(*end, "smhd", time_f)) != 0));
        break;
    case MODULE_ARG_ONOFF:
        ok = strcmp(v, "on") == 0 || strcmp(v, "off") == 0;
        n = strcmp(v, "on") == 0;
        break;
    case MODULE_ARG_STRING:
        ok = !a->choices || in_choices(v, a->choices);
        break;
    }
    /* n * f must not overflow, and must lie in the range. */
    if (ok && a->type != MODULE_ARG_ONOFF && a->type != MODULE_ARG_STRING)
        ok = n <= a->max / f && n * f >= a->min && n * f <= a->max;
    if (!ok) {
        char what[128];
        accepted(a, what, sizeof(what));
        if (a->type == MODULE_ARG_STRING && a->choices) {
            /* "builtin|module" -> "builtin or module" */
            size_t n = 0;
            for (const char *c = a->choices; *c && n + 5 < sizeof(what); c++) {
                if (*c == '|') {
                    memcpy(what + n, " or ", 4);
                    n += 4;
                } else {
                    what[n++] = *c;
                }
            }
            what[n] = '\0';
        }
        snprintf(err, errsize, "%s=%s: expected %s", a->key, v, what);
        return -1;
    }
    a->num = n * f;
    return 0;
}

void module_args_usage(const char *module, const struct module_arg *args)
{
    printf("%s arguments (key=value):\n", module);
    for (const struct module_arg *a = args; a->key; a++) {
        char what[128];
        accepted(a, what, sizeof(what));
        printf("  %s=%s  %s [%s]\n", a->key, a->value, a->help, what);
    }
}

const char *module_arg(const struct module_arg *args, const char *key)
{
    for (; args->key; args++) {
        if (strcmp(args->key, key) == 0)
            return args->value;
    }
    return "";
}

long long module_arg_value(const struct module_arg *args, const char *key)
{
    for (; args->key; args++) {
        if (strcmp(args->key, key) == 0)
            return args->num;
    }
    return 0;
}
