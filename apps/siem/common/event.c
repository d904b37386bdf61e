/* Event time stamps, ids and subjects (docs/siem.md). */
#include "event.h"

#include <stdio.h>
#include <string.h>

#include "civil.h"
#include "sha256.h"

int siem_time_format(int64_t ns, char out[SIEM_TIME_LEN])
{
    /* Floor division, so that times before 1970 still round down. */
    int64_t sec = ns / SIEM_NS_PER_SEC, frac = ns % SIEM_NS_PER_SEC;
    if (frac < 0) {
        frac += SIEM_NS_PER_SEC;
        sec--;
    }
    int64_t days = sec / SIEM_SEC_PER_DAY, rem = sec % SIEM_SEC_PER_DAY;
    if (rem < 0) {
        rem += SIEM_SEC_PER_DAY;
        days--;
    }
    int64_t y;
    unsigned m, d;
    siem_civil_from_days(days, &y, &m, &d);
    if (y < 0 || y > 9999) {
        out[0] = '\0';
        return -1;
    }
    snprintf(out, SIEM_TIME_LEN, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", (int)y, m, d,
             (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60), (int)(frac / 1000000));
    return 0;
}

void siem_event_id(const char *transport, const char *sender_ip, uint16_t sender_port,
                   int64_t received_ns, const char *raw, size_t len, char out[SIEM_EVENT_ID_LEN])
{
    struct siem_sha256 c;
    uint8_t digest[SIEM_SHA256_LEN];
    siem_sha256_init(&c);
    siem_sha256_update(&c, transport, strlen(transport) + 1);
    siem_sha256_update(&c, sender_ip, strlen(sender_ip) + 1);
    /* Over UDP and TCP a sender has no way to retransmit the same record,
     * so two identical lines are two events; the port and the reception
     * time tell them apart. A RELP retransmission must keep its id. */
    if (strcmp(transport, "udp") == 0 || strcmp(transport, "tcp") == 0) {
        char num[48];
        int n = snprintf(num, sizeof(num), "%u%c%lld", (unsigned)sender_port, '\0',
                         (long long)received_ns);
        siem_sha256_update(&c, num, (size_t)n + 1);
    }
    siem_sha256_update(&c, raw, len);
    siem_sha256_final(&c, digest);
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 16; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[32] = '\0';
}

int siem_event_subject(int pipeline_error, const char *category, char *buf, size_t size)
{
    const char *token = pipeline_error ? "error" : category && *category ? category : "generic";
    /* A subject token may not contain separators or wildcards. */
    if (strpbrk(token, ". *>\t\r\n"))
        return -1;
    int n = snprintf(buf, size, "siem.events.%s", token);
    return n >= 0 && (size_t)n < size ? n : -1;
}
