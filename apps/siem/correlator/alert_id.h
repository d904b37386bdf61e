/* Deterministic alert ids: the same rule, group and trigger event always
 * give the same 32 hex digits, so a re-sent alert is deduplicated by
 * JetStream (Nats-Msg-Id) and by the store. */
#ifndef CORR_ALERT_ID_H
#define CORR_ALERT_ID_H

#include <stddef.h>
#include <stdint.h>

#define CORR_ALERT_ID_LEN 33 /* 32 hex digits and a NUL */

/* FNV-1a, 64 bits, continuing from h (start with CORR_FNV_BASIS). */
#define CORR_FNV_BASIS 0xcbf29ce484222325ULL
uint64_t corr_fnv1a64(uint64_t h, const void *data, size_t len);

/* The id of the alert that rule fires for group value group on the event
 * with id trigger_id. Not a cryptographic hash: it names alerts, it does
 * not protect them. */
void corr_alert_id(const char *rule, const char *group, const char *trigger_id,
                   char out[CORR_ALERT_ID_LEN]);

#endif
