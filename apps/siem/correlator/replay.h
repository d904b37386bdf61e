/* The correlator's restart: rebuild the engine's windows from EVENTS and
 * the firings already in ALERTS, up to the durable consumer's ack floor. */
#ifndef CORR_REPLAY_H
#define CORR_REPLAY_H

#include "bus.h"
#include "engine.h"
#include "rules.h"

struct replay_report {
    unsigned long long ack_floor; /* EVENTS sequence processed before the restart */
    unsigned long events;         /* events replayed */
    unsigned long known_alerts;   /* alerts found in ALERTS and registered */
};

/* Replays into engine (corr_feed with replay=1) every event from the ack
 * floor's time minus the rules' replay horizon up to the ack floor, after
 * registering the alerts published since then. Nothing to do on a first
 * start (no ack floor). Returns 0, or -1 after a message. */
int replay(struct bus *b, corr_engine *engine, const struct corr_rules *rules, const char *durable,
           struct replay_report *report);

#endif
