/* A module's arguments as one typed table: each key=value word the module
 * accepts, declared once with its type, range, default and help, and
 * checked by shared code at startup (in the spirit of rsyslog's module
 * parameter tables). module.c reads the words; this is the table. */
#ifndef SIEM_ARGS_H
#define SIEM_ARGS_H

#include <stddef.h>

enum module_arg_type {
    MODULE_ARG_NUM,      /* a whole number in [min, max] */
    MODULE_ARG_SIZE,     /* bytes: a number with an optional K, M or G (x1024), in [min, max] */
    MODULE_ARG_DURATION, /* 0, or a number and a unit s, m, h or d; in ms, in [min, max] */
    MODULE_ARG_ONOFF,    /* on (1) or off (0) */
    MODULE_ARG_STRING,   /* any text, or one of choices ("builtin|module") */
};

struct module_arg {
    const char *key;
    enum module_arg_type type;
    const char *value; /* the default; replaced by the command line's */
    long long min, max;
    const char *choices; /* MODULE_ARG_STRING: the words allowed, '|' between; NULL: any */
    const char *help;
    long long num; /* the checked value (module_arg_check), for every type but STRING */
};

/* Table entries, one per argument; ARG_END ends the table. */
/* clang-format off */
#define ARG_NUM(k, def, lo, hi, h) {k, MODULE_ARG_NUM, def, lo, hi, NULL, h, 0}
#define ARG_SIZE(k, def, lo, hi, h) {k, MODULE_ARG_SIZE, def, lo, hi, NULL, h, 0}
#define ARG_DURATION(k, def, lo, hi, h) {k, MODULE_ARG_DURATION, def, lo, hi, NULL, h, 0}
#define ARG_ONOFF(k, def, h) {k, MODULE_ARG_ONOFF, def, 0, 1, NULL, h, 0}
#define ARG_STRING(k, def, h) {k, MODULE_ARG_STRING, def, 0, 0, NULL, h, 0}
#define ARG_CHOICE(k, def, words, h) {k, MODULE_ARG_STRING, def, 0, 0, words, h, 0}
#define ARG_END {NULL, MODULE_ARG_STRING, NULL, 0, 0, NULL, NULL, 0}
/* clang-format on */

/* The argument named by word ("key=value" or "key"), or NULL. */
struct module_arg *module_arg_find(struct module_arg *args, const char *word);

/* Checks a->value against a's type and range and sets a->num. Returns 0,
 * or -1 with a one-line reason in err ("batch=0: expected a number from 1
 * to 4096"). */
int module_arg_check(struct module_arg *a, char *err, size_t errsize);

/* Prints the table: key=default, help and what values are accepted. */
void module_args_usage(const char *module, const struct module_arg *args);

/* The value of key in args as given ("" when args has no such key). */
const char *module_arg(const struct module_arg *args, const char *key);

/* The checked value of key: the number, the size in bytes, the duration
 * in ms, 1 for on. */
long long module_arg_value(const struct module_arg *args, const char *key);

#endif
