/* Deterministic alert ids: the same rule, group and trigger event always
 * give the same 32 hex digits, so a re-sent alert is deduplicated by
 * JetStream (Nats-Msg-Id) and by the store. */
#ifndef CORR_ALERT_ID_H
#define CORR_ALERT_ID_H

#include "id.h"

#define CORR_ALERT_ID_LEN SIEM_ID_LEN /* 32 hex digits and a NUL */

/* The id of the alert that rule fires for group value group (empty for an
 * ungrouped rule) on the event with id trigger_id: the first 128 bits of
 * SHA-256, as lowercase hex, over
 *   rule \0 group \0 trigger_id
 * (\0 one zero byte; none of the three can contain one, so the layout is
 * unambiguous). */
void corr_alert_id(const char *rule, const char *group, const char *trigger_id,
                   char out[CORR_ALERT_ID_LEN]);

#endif
