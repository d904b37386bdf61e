/* Alert ids: SHA-256 over the rule, the group value and the trigger. */
#include "alert_id.h"

#include <sodium/crypto_hash_sha256.h>
#include <string.h>

void corr_alert_id(const char *rule, const char *group, const char *trigger_id,
                   char out[CORR_ALERT_ID_LEN])
{
    crypto_hash_sha256_state c;
    uint8_t digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&c);
    crypto_hash_sha256_update(&c, (const unsigned char *)rule, strlen(rule) + 1);
    crypto_hash_sha256_update(&c, (const unsigned char *)group, strlen(group) + 1);
    crypto_hash_sha256_update(&c, (const unsigned char *)trigger_id, strlen(trigger_id));
    crypto_hash_sha256_final(&c, digest);
    siem_id_hex(digest, out);
}
