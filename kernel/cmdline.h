/* Kernel command line: "opt=val opt2 -- arg1 arg2". Words before "--" are
 * kernel options, words after it become main()'s argv, except the
 * virtio_mmio.device= words a hypervisor appends, which are options wherever
 * they stand. Host-testable. */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include "param.h"

struct cmdline {
    /* The program name (at most half) and then the words, each
     * NUL-terminated: the words of any text up to CMDLINE_MAX - 1 bytes fit. */
    char buf[2 * CMDLINE_MAX];
    int n_opts;
    char *opts[MAX_ARGS];
    int argc; /* argv[0] is the program name */
    char *argv[MAX_ARGS + 1];
};

/* Split text into options and argv. Double quotes group words ("a b"), a
 * backslash escapes the next character. argv[0] is prog. Words beyond
 * MAX_ARGS are dropped and counted in the return value (0 when all fit). */
int cmdline_parse(struct cmdline *cl, const char *text, const char *prog);

/* Value of option "key=value", "" for a bare "key", NULL when absent. */
const char *cmdline_opt(const struct cmdline *cl, const char *key);
/* The value of the n-th (from 0) occurrence of option key, for options that
 * may repeat (virtio_mmio.device=); NULL when there are fewer. */
const char *cmdline_opt_nth(const struct cmdline *cl, const char *key, int n);

#endif
