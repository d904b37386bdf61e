/* The decoder rule base: a file of decoders, each a program name and a
 * message pattern whose placeholders fill ECS fields (docs/siem.md,
 * "Writing a decoder"). Loading compiles the patterns, builds a
 * per-program index and runs the examples the file carries; decoding a
 * line tries only the decoders of its program. */
#ifndef SIEM_DECODERS_H
#define SIEM_DECODERS_H

#include <stddef.h>

/* Fields one decoder may give (placeholders and set lines together). */
#define SIEM_DECODED_MAX 16

struct siem_decoders;

/* One field of a decoded line: a dotted ECS name and its value, a slice
 * of the message or of the rule base (not NUL-terminated). */
struct siem_decoded_field {
    const char *name;
    const char *p;
    size_t len;
};

struct siem_decoded {
    const char *decoder; /* the decoder's name; NULL: no decoder matched */
    int n;
    struct siem_decoded_field f[SIEM_DECODED_MAX];
};

/* Compiles the rule base text[0..len), named file in messages, and checks
 * every example in it. Returns the base, or NULL with a one-line reason
 * "file:line: what" in err[0..errlen) (also when memory ran out). */
struct siem_decoders *siem_decoders_load(const char *text, size_t len, const char *file, char *err,
                                         size_t errlen);

void siem_decoders_free(struct siem_decoders *base);

/* Number of decoders and of examples checked at load. */
int siem_decoders_count(const struct siem_decoders *base, int *examples);

/* Decodes the message msg[0..msg_len) of program app[0..app_len).
 * Returns 1 and fills out, or 0 with out->decoder NULL and out->n 0.
 * Values that point into msg are valid as long as msg is. */
int siem_decode(const struct siem_decoders *base, const char *app, size_t app_len, const char *msg,
                size_t msg_len, struct siem_decoded *out);

/* The value of field name in d, or NULL (with *len 0). */
const char *siem_decoded_get(const struct siem_decoded *d, const char *name, size_t *len);

/* The rule base compiled into the program (decoders.rules), loaded on
 * first use; NULL, with the reason on stderr, if it does not load (the
 * build checks that it does). */
const struct siem_decoders *siem_decoders_builtin(void);

/* The base siem_recognise() uses: the one given to siem_decoders_use(),
 * else the built-in one. */
const struct siem_decoders *siem_decoders_active(void);
void siem_decoders_use(const struct siem_decoders *base);

#endif
