/* Event ids and subjects (docs/siem.md). */
#include "event.h"

#include <sodium/crypto_hash_sha256.h>
#include <stdio.h>
#include <string.h>

#include "id.h"

void siem_event_id(const char *transport, const char *sender_ip, uint16_t sender_port,
                   int64_t received_ns, const char *raw, size_t len, char out[SIEM_EVENT_ID_LEN])
{
    crypto_hash_sha256_state c;
    uint8_t digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&c);
    crypto_hash_sha256_update(&c, (const unsigned char *)transport, strlen(transport) + 1);
    crypto_hash_sha256_update(&c, (const unsigned char *)sender_ip, strlen(sender_ip) + 1);
    /* Over UDP and TCP a sender has no way to retransmit the same record,
     * so two identical lines are two events; the port and the reception
     * time tell them apart. A RELP retransmission must keep its id. */
    if (strcmp(transport, "udp") == 0 || strcmp(transport, "tcp") == 0) {
        char num[48];
        int n = snprintf(num, sizeof(num), "%u%c%lld", (unsigned)sender_port, '\0',
                         (long long)received_ns);
        crypto_hash_sha256_update(&c, (const unsigned char *)num, (size_t)n + 1);
    }
    crypto_hash_sha256_update(&c, (const unsigned char *)raw, len);
    crypto_hash_sha256_final(&c, digest);
    siem_id_hex(digest, out);
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
