/* Walking RFC 5424 structured data without copying it. */
#include "sd.h"

/* SD-NAME = 1*32 PRINTUSASCII except '=', SP, ']' and '"'. */
static int name(struct siem_sd_cursor *c, struct siem_str *out)
{
    const char *s = c->p;
    while (c->p < c->end) {
        unsigned char ch = (unsigned char)*c->p;
        if (ch < 33 || ch > 126 || ch == '=' || ch == ']' || ch == '"')
            break;
        c->p++;
    }
    size_t n = (size_t)(c->p - s);
    if (n == 0 || n > SIEM_SD_NAME_MAX)
        return -1;
    out->p = s;
    out->len = n;
    return 0;
}

void siem_sd_begin(struct siem_sd_cursor *c, const char *p, const char *end)
{
    c->p = p;
    c->end = end;
}

int siem_sd_next_element(struct siem_sd_cursor *c, struct siem_str *id)
{
    if (c->p >= c->end)
        return 0;
    if (*c->p != '[')
        return -1;
    c->p++;
    return name(c, id) ? -1 : 1;
}

int siem_sd_next_param(struct siem_sd_cursor *c, struct siem_str *pname, struct siem_str *value)
{
    if (c->p >= c->end)
        return -1;
    if (*c->p == ']') {
        c->p++;
        return 0;
    }
    if (*c->p != ' ')
        return -1;
    c->p++;
    if (name(c, pname) || c->end - c->p < 2 || c->p[0] != '=' || c->p[1] != '"')
        return -1;
    c->p += 2;
    const char *s = c->p;
    while (c->p < c->end && *c->p != '"') {
        /* A backslash protects the next byte, whatever it is. */
        if (*c->p == '\\' && c->end - c->p >= 2)
            c->p++;
        c->p++;
    }
    if (c->p >= c->end)
        return -1;
    value->p = s;
    value->len = (size_t)(c->p - s);
    c->p++; /* the closing quote */
    return 1;
}

size_t siem_sd_unescape(struct siem_str value, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < value.len; i++) {
        char ch = value.p[i];
        if (ch == '\\' && i + 1 < value.len &&
            (value.p[i + 1] == '"' || value.p[i + 1] == '\\' || value.p[i + 1] == ']'))
            ch = value.p[++i];
        out[n++] = ch;
    }
    return n;
}
