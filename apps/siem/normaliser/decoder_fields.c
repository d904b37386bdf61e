/* What a decoder may write: which ECS fields, and which values each kind
 * of field takes (an address, a port, a name without control characters). */
#include "decoder_int.h"

#include <string.h>

#include "ipaddr.h"
#include "recognise.h"

/* Longest value kept for a field other than a name; longer ones are left
 * out rather than cut. */
#define DEC_VALUE_MAX 1024

static int ends(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *dec_field_refused(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > DEC_NAME_MAX || name[0] == '.' || name[n - 1] == '.' || strstr(name, ".."))
        return "a field is a dotted ECS name such as user.name";
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.'))
            return "a field name is a-z, 0-9, _ and .";
    }
    /* What the normaliser itself writes for every record. */
    static const char *const own[] = {"event.id", "event.created", "event.kind",
                                      "message",  "tags",          "@timestamp"};
    for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
        if (strcmp(name, own[i]) == 0 || (starts(name, own[i]) && name[strlen(own[i])] == '.'))
            return "the normaliser sets this field itself";
    if (starts(name, "log.") || starts(name, "input.") || starts(name, "error.") ||
        starts(name, "host.") || !strchr(name, '.'))
        return "the normaliser sets this field itself (or it is not an ECS leaf)";
    return NULL;
}

int dec_field_numeric(const char *name)
{
    return ends(name, ".port") || ends(name, ".pid");
}

int dec_field_valid(const char *name, const char *p, size_t len)
{
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
            return 0; /* a control character could forge a field downstream */
    if (ends(name, ".ip"))
        return siem_ip_valid(p, len);
    if (dec_field_numeric(name)) {
        long v = 0;
        for (size_t i = 0; i < len; i++) {
            if (p[i] < '0' || p[i] > '9' || i >= 9)
                return 0;
            v = v * 10 + (p[i] - '0');
        }
        return ends(name, ".port") ? v >= 1 && v <= 65535 : 1;
    }
    if (ends(name, ".name"))
        return len <= SIEM_USER_MAX; /* a cut name would be another account */
    return len <= DEC_VALUE_MAX;
}
