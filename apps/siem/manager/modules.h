/* What the manager knows of the modules, for /api/modules: the latest
 * heartbeat of each (siem.health.<module>) and the supervisor's latest
 * status (siem.supervisor.status), merged into one JSON answer. No I/O and
 * no locking: the caller serialises access. */
#ifndef SIEM_MGR_MODULES_H
#define SIEM_MGR_MODULES_H

#include <stddef.h>
#include <stdint.h>

#include "cJSON.h"

#define MGR_MODULES_MAX 32 /* modules remembered; later names are ignored */
#define MGR_STALE_MS 10000 /* a heartbeat or status older than this is stale */

struct mgr_modules {
    cJSON *beats;      /* name -> the latest heartbeat object */
    cJSON *seen;       /* name -> epoch ms it arrived */
    cJSON *supervisor; /* the latest status, or NULL */
    int64_t supervisor_ms;
};

void mgr_modules_init(struct mgr_modules *m);
void mgr_modules_free(struct mgr_modules *m);

/* Takes a heartbeat (JSON text); returns -1 when it is not one. */
int mgr_modules_heartbeat(struct mgr_modules *m, const char *data, size_t len, int64_t now_ms);

/* Takes a supervisor status (JSON text); returns -1 when it is not one. */
int mgr_modules_supervisor(struct mgr_modules *m, const char *data, size_t len, int64_t now_ms);

/* {"modules":[...],"supervisor":{...}|null} as of now_ms (docs/siem.md,
 * "Manager"). */
cJSON *mgr_modules_json(const struct mgr_modules *m, int64_t now_ms);

#endif
