/* Internals of the decoder engine, shared by its files. */
#ifndef SIEM_DECODER_INT_H
#define SIEM_DECODER_INT_H

#include <stddef.h>

#include "decoders.h"

/* Limits of one decoder, each a load error when passed. */
#define DEC_ITEMS_MAX 40 /* literals and placeholders in a pattern */
#define DEC_SLOTS_MAX 16 /* placeholders that capture */
#define DEC_ALTS_MAX 4   /* alternatives in a set value: %a|b|c% */
#define DEC_PROGS_MAX 16 /* program names of a decoder */
#define DEC_NAME_MAX 48  /* capture, decoder and field names */
/* Steps one pattern may take on one line: bounds the backtracking a
 * crafted line could cause. A line that needs more is not matched. */
#define DEC_BUDGET 4096

/* decoder_pattern.c: patterns. */
/* DT_OPEN and DT_CLOSE bound an optional part, %[ ... %]. */
enum dec_type { DT_LIT, DT_WORD, DT_TEXT, DT_IP, DT_PORT, DT_NUMBER, DT_REST, DT_OPEN, DT_CLOSE };

struct dec_item {
    enum dec_type type;
    int optional;    /* word? text?: may be empty */
    int slot;        /* capture slot; -1: discarded */
    const char *lit; /* DT_LIT: the literal text */
    size_t len;
    int close; /* DT_OPEN: the index of its DT_CLOSE */
};

struct dec_span {
    size_t off, len;
};

struct dec_pattern {
    struct dec_item item[DEC_ITEMS_MAX];
    int n;
    int nslots;
    char slot[DEC_SLOTS_MAX][DEC_NAME_MAX + 1]; /* capture names */
    unsigned unique; /* bit s: capture s is kept only if every reading agrees (TYPE!) */
};

/* Compiles text (NUL-terminated, kept alive by the caller: literals point
 * into it). Returns 0, or -1 with a static reason in *why. */
int dec_pattern_compile(struct dec_pattern *p, const char *text, const char **why);

/* 1 when p matches all of s[0..len), with the captures in caps (those of
 * its first reading; a TYPE! capture that another reading gives another
 * value is empty). */
int dec_pattern_match(const struct dec_pattern *p, const char *s, size_t len,
                      struct dec_span *caps);

/* The slot of capture name, or -1. */
int dec_pattern_slot(const struct dec_pattern *p, const char *name);

/* A field a decoder gives: from one of up to DEC_ALTS_MAX sources, the
 * first that is not empty and valid for the field. */
struct dec_alt {
    int slot;        /* >= 0: a capture */
    const char *lit; /* else a constant */
};

struct dec_set {
    const char *field;
    int nalt;
    struct dec_alt alt[DEC_ALTS_MAX];
};

struct decoder {
    const char *name;
    int line;
    const char *prog[DEC_PROGS_MAX]; /* exact names, "*", or "*SUFFIX" */
    int nprog;
    struct dec_pattern pat;
    struct dec_set set[SIEM_DECODED_MAX];
    int nset;
};

/* Programs named exactly by some decoder, each with the decoders to try
 * for it, in file order (those for any program included). */
struct dec_prog {
    const char *name;
    size_t len;
    int *list;
    int n;
};

struct siem_decoders {
    struct decoder *dec;
    int n;
    struct dec_prog *prog;
    int nprog;
    int *any; /* decoders for "*" and "*SUFFIX", tried for other programs */
    int nany;
    char **strings; /* every string the base owns */
    int nstrings;
    int examples;
};

/* decoder_match.c: running one decoder. */

/* 1 when decoder d takes program app. */
int dec_program_ok(const struct decoder *d, const char *app, size_t len);

/* Runs decoder d on msg (already stripped of prefixes); fills out. */
int dec_run(const struct decoder *d, const char *msg, size_t len, struct siem_decoded *out);

/* The message without what precedes the text proper: leading blanks and a
 * Solaris "[ID 800047 auth.notice] " tag. */
void dec_strip(const char **msg, size_t *len);

/* decoder_fields.c: what a field may hold. */

/* 0 when name may be set by a decoder; else a static reason. */
const char *dec_field_refused(const char *name);

/* 1 when p[0..len) is a value field name may take (an address for *.ip,
 * a port for *.port, a short printable name for *.name, ...). */
int dec_field_valid(const char *name, const char *p, size_t len);

/* 1 when the field's value is a number in JSON (*.port, *.pid). */
int dec_field_numeric(const char *name);

#endif
