/* Recognition of security-relevant lines by the decoder rule base
 * (decoders.h), and the fields the rest of the normaliser reads from a
 * decoded line. The text is not NUL-terminated: every helper works on a
 * bounded view. */
#include "recognise.h"

#include <string.h>

#include "decoders.h"

struct view {
    const char *p;
    size_t len;
};

/* A user name as the programs print it: no control characters (which
 * would let a crafted name forge fields) and short enough to keep whole. */
static int set_name(char *dst, struct view v)
{
    if (v.len == 0 || v.len > SIEM_USER_MAX)
        return 0;
    for (size_t i = 0; i < v.len; i++)
        if ((unsigned char)v.p[i] < 0x20 || v.p[i] == 0x7f)
            return 0;
    memcpy(dst, v.p, v.len);
    dst[v.len] = '\0';
    return 1;
}

static void clear(struct siem_recognised *out)
{
    memset(out, 0, sizeof(*out));
    out->source_port = -1;
}

/* The struct's fields from a decoder's: event.* are constants of the
 * rule base (NUL-terminated there), the rest are copied. */
static int from_decoded(struct siem_recognised *out)
{
    const struct siem_decoded *d = &out->fields;
    const char **kind[] = {&out->category, &out->type, &out->action, &out->outcome};
    static const char *const names[] = {"event.category", "event.type", "event.action",
                                        "event.outcome"};
    size_t n;
    for (int i = 0; i < 4; i++)
        if (!(*kind[i] = siem_decoded_get(d, names[i], &n)))
            return 0;
    struct view v = {siem_decoded_get(d, "user.name", &n), n};
    if (v.p)
        set_name(out->user, v);
    if ((v.p = siem_decoded_get(d, "user.target.name", &v.len)) != NULL)
        set_name(out->target_user, v);
    if ((v.p = siem_decoded_get(d, "source.ip", &v.len)) != NULL && v.len <= SIEM_IP_MAX) {
        memcpy(out->source_ip, v.p, v.len);
        out->source_ip[v.len] = '\0';
    }
    if ((v.p = siem_decoded_get(d, "source.port", &v.len)) != NULL) {
        out->source_port = 0;
        for (size_t i = 0; i < v.len; i++)
            out->source_port = out->source_port * 10 + (v.p[i] - '0');
    }
    return 1;
}

int siem_recognise(const char *app, size_t app_len, const char *msg, size_t msg_len,
                   struct siem_recognised *out)
{
    clear(out);
    int r = app && msg &&
            siem_decode(siem_decoders_active(), app, app_len, msg, msg_len, &out->fields) &&
            from_decoded(out);
    if (!r) /* a half-matched line must not leave fields behind */
        clear(out);
    return r;
}
