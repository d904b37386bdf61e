/* Alert ids: SHA-256 over the rule, the group value and the trigger. */
#include "alert_id.h"

#include <string.h>

#include "sha256.h"

void corr_alert_id(const char *rule, const char *group, const char *trigger_id,
                   char out[CORR_ALERT_ID_LEN])
{
    struct siem_sha256 c;
    uint8_t digest[SIEM_SHA256_LEN];
    siem_sha256_init(&c);
    siem_sha256_update(&c, rule, strlen(rule) + 1);
    siem_sha256_update(&c, group, strlen(group) + 1);
    siem_sha256_update(&c, trigger_id, strlen(trigger_id));
    siem_sha256_final(&c, digest);
    siem_id_hex(digest, out);
}
