/* Deterministic 128-bit alert ids from two independent FNV-1a 64 lanes. */
#include "alert_id.h"

#include <stdio.h>
#include <string.h>

#define FNV_PRIME 0x100000001b3ULL

uint64_t corr_fnv1a64(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= FNV_PRIME;
    }
    return h;
}

/* FNV-1a's last bytes only reach the low bits through one multiplication;
 * a final xor-shift-multiply round spreads them over all 64 bits (the
 * constants are the odd multipliers of MurmurHash3's finaliser). */
static uint64_t finish(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* Each string is preceded by its length, so ("ab", "c") and ("a", "bc")
 * hash differently. */
static uint64_t lane(uint64_t h, const char *const *parts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(parts[i]);
        unsigned char lenbytes[8];
        for (int b = 0; b < 8; b++)
            lenbytes[b] = (unsigned char)((uint64_t)len >> (8 * b));
        h = corr_fnv1a64(h, lenbytes, sizeof(lenbytes));
        h = corr_fnv1a64(h, parts[i], len);
    }
    return finish(h);
}

void corr_alert_id(const char *rule, const char *group, const char *trigger_id,
                   char out[CORR_ALERT_ID_LEN])
{
    const char *parts[] = {rule, group, trigger_id};
    /* The second lane starts from another basis (the basis xor the 64-bit
     * golden ratio) and sees a domain tag first, so the two halves are not
     * the same function of the input. */
    static const char tag[] = "siem-alert";
    uint64_t hi = lane(CORR_FNV_BASIS, parts, 3);
    uint64_t lo =
        lane(corr_fnv1a64(CORR_FNV_BASIS ^ 0x9e3779b97f4a7c15ULL, tag, sizeof(tag) - 1), parts, 3);
    snprintf(out, CORR_ALERT_ID_LEN, "%016llx%016llx", (unsigned long long)hi,
             (unsigned long long)lo);
}
