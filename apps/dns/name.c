/* Domain names in uncompressed wire form: comparison (case-insensitive,
 * RFC 4343), canonical order (RFC 4034 section 6.1), hashing, and the
 * conversion from master-file text (RFC 1035 section 5.1). */
#include <string.h>

#include "dns.h"

/* Records where each label starts, the root label included; returns the
 * number of labels. The name must be well formed (built by this program). */
int name_labels(const uint8_t *wire, uint8_t offsets[DNS_LABELS_MAX])
{
    int n = 0;
    size_t off = 0;
    for (;;) {
        offsets[n++] = (uint8_t)off;
        if (wire[off] == 0)
            return n;
        off += 1 + wire[off];
    }
}

size_t name_len(const uint8_t *wire)
{
    size_t off = 0;
    while (wire[off] != 0)
        off += 1 + wire[off];
    return off + 1;
}

/* Label by label in one pass: equal length octets, then the label's
 * octets compared with letters folded. */
bool name_equal(const uint8_t *a, const uint8_t *b)
{
    for (;;) {
        uint8_t n = *a;
        if (n != *b)
            return false;
        if (n == 0)
            return true;
        for (int i = 1; i <= n; i++)
            if (a[i] != b[i] && dns_lower(a[i]) != dns_lower(b[i]))
                return false;
        a += 1 + n;
        b += 1 + n;
    }
}

/* True when name equals ancestor or lies below it. */
bool name_is_below(const uint8_t *name, const uint8_t *ancestor)
{
    size_t n = name_len(name), a = name_len(ancestor);
    if (a > n)
        return false;
    size_t off = 0;
    while (n - off > a)
        off += 1 + name[off];
    return n - off == a && name_equal(name + off, ancestor);
}

/* RFC 4034 section 6.1: compare label by label from the right; a label
 * compares as a case-folded octet string, a shorter one first when it is a
 * prefix of the other; a name sorts before the names below it. */
int name_canonical_cmp(const uint8_t *a, const uint8_t *b)
{
    uint8_t oa[DNS_LABELS_MAX], ob[DNS_LABELS_MAX];
    int na = name_labels(a, oa) - 1, nb = name_labels(b, ob) - 1;
    while (na > 0 && nb > 0) {
        const uint8_t *la = a + oa[--na], *lb = b + ob[--nb];
        int n = la[0] < lb[0] ? la[0] : lb[0];
        for (int i = 1; i <= n; i++) {
            int d = dns_lower(la[i]) - dns_lower(lb[i]);
            if (d != 0)
                return d;
        }
        if (la[0] != lb[0])
            return la[0] - lb[0];
    }
    return na - nb;
}

/* hashes[i] is the hash of the suffix starting at label i, computed from
 * the root up so every suffix costs one pass over its own first label:
 * finding a name's zone then needs no rehashing per candidate. */
void name_suffix_hashes(const uint8_t *wire, int n, const uint8_t *offsets, uint32_t *hashes)
{
    uint32_t h = 2166136261u; /* FNV-1a offset basis */
    hashes[n - 1] = h;
    for (int i = n - 2; i >= 0; i--) {
        const uint8_t *l = wire + offsets[i];
        for (int j = 0; j <= l[0]; j++)
            h = (h ^ dns_lower(l[j])) * 16777619u;
        hashes[i] = h;
    }
}

uint32_t name_hash(const uint8_t *wire)
{
    uint8_t off[DNS_LABELS_MAX];
    uint32_t h[DNS_LABELS_MAX];
    int n = name_labels(wire, off);
    name_suffix_hashes(wire, n, off, h);
    return h[0];
}

/* Master-file name to wire form: "@" is the origin; a name without a final
 * dot is relative to the origin; "\X" is X itself and "\DDD" the octet with
 * that decimal value. Returns 0, or -1 with *why set. */
int name_from_text(const char *s, size_t n, const struct dname *origin, struct dname *out,
                   const char **why)
{
    if (n == 1 && s[0] == '@') {
        if (!origin) {
            *why = "'@' used but no $ORIGIN is known";
            return -1;
        }
        *out = *origin;
        return 0;
    }
    if (n == 1 && s[0] == '.') {
        out->len = 1;
        out->labels = 1;
        out->wire[0] = 0;
        return 0;
    }
    size_t len = 0, label = 0; /* label: where the current label's length goes */
    int labels = 0;
    bool absolute = false;
    uint8_t w[DNS_NAME_MAX + DNS_LABEL_MAX + 2];
    w[0] = 0;
    len = 1;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '.') {
            if (len - label - 1 == 0) {
                *why = "empty label in name";
                return -1;
            }
            labels++;
            if (i + 1 == n) {
                absolute = true;
                break;
            }
            label = len;
            w[len++] = 0;
            continue;
        }
        if (c == '\\' && (c = escape_decode(s, n, &i, why)) < 0)
            return -1;
        if (len - label - 1 >= DNS_LABEL_MAX) {
            *why = "label longer than 63 octets";
            return -1;
        }
        if (len >= DNS_NAME_MAX) {
            *why = "name longer than 255 octets";
            return -1;
        }
        w[len++] = (uint8_t)c;
        w[label]++;
    }
    if (!absolute) {
        labels++; /* the last label had no dot after it */
        if (!origin) {
            *why = "relative name but no $ORIGIN is known";
            return -1;
        }
        if (len + origin->len > DNS_NAME_MAX) {
            *why = "name longer than 255 octets";
            return -1;
        }
        memcpy(w + len, origin->wire, origin->len);
        len += origin->len;
        labels += origin->labels - 1;
    } else {
        if (len + 1 > DNS_NAME_MAX) {
            *why = "name longer than 255 octets";
            return -1;
        }
        w[len++] = 0;
    }
    memcpy(out->wire, w, len);
    out->len = (uint8_t)len;
    out->labels = (uint8_t)(labels + 1);
    return 0;
}

/* Wire name to dotted text for messages (escaping dots and odd octets);
 * truncates to cap. Returns the text length. */
int name_to_text(const uint8_t *wire, char *out, size_t cap)
{
    size_t o = 0;
    if (cap == 0)
        return 0;
    if (wire[0] == 0 && cap > 1)
        out[o++] = '.';
    for (size_t off = 0; wire[off] != 0; off += 1 + wire[off]) {
        for (int i = 1; i <= wire[off]; i++) {
            uint8_t c = wire[off + i];
            char tmp[5];
            int k = 0;
            if (c == '.' || c == '\\' || c == '"' || c == ';' || c == '(' || c == ')')
                tmp[k++] = '\\', tmp[k++] = (char)c;
            else if (c < 0x21 || c > 0x7e) {
                tmp[k++] = '\\';
                tmp[k++] = (char)('0' + c / 100);
                tmp[k++] = (char)('0' + c / 10 % 10);
                tmp[k++] = (char)('0' + c % 10);
            } else
                tmp[k++] = (char)c;
            for (int j = 0; j < k && o + 1 < cap; j++)
                out[o++] = tmp[j];
        }
        if (o + 1 < cap)
            out[o++] = '.';
    }
    out[o] = '\0';
    return (int)o;
}

static const struct {
    uint16_t type;
    const char *name;
} types[] = {
    {T_A, "A"},   {T_NS, "NS"},   {T_CNAME, "CNAME"}, {T_SOA, "SOA"}, {T_PTR, "PTR"},
    {T_MX, "MX"}, {T_TXT, "TXT"}, {T_AAAA, "AAAA"},   {T_SRV, "SRV"}, {T_CAA, "CAA"},
};

const char *type_name(uint16_t type)
{
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (types[i].type == type)
            return types[i].name;
    return "?";
}

/* The zone-file types this server stores; -1 for anything else. */
int type_from_text(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        const char *t = types[i].name;
        if (strlen(t) != n)
            continue;
        size_t j = 0;
        while (j < n && dns_lower((uint8_t)s[j]) == dns_lower((uint8_t)t[j]))
            j++;
        if (j == n)
            return types[i].type;
    }
    return -1;
}
