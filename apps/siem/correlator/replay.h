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
    unsigned long caught_up;      /* events after the ack floor fed live */
    unsigned long long fed_seq;   /* the last EVENTS sequence fed to the engine */
};

/* Brings engine to where the previous run stopped:
 *  1. registers the alerts published since the ack floor's time minus the
 *     rules' replay horizon, and replays (corr_feed with replay=1) every
 *     event from that time up to the ack floor;
 *  2. feeds live (replay=0: alerts are published again, and ALERTS drops
 *     the ones it has by id) every event after the ack floor up to the
 *     stream's end. The previous run may have processed them without
 *     acknowledging; the durable consumer would redeliver them only after
 *     its ack wait, behind newer events, and windows need stream order.
 * The caller then skips durable deliveries up to report->fed_seq.
 * Returns 0, or -1 after a message. */
int replay(struct bus *b, corr_engine *engine, const struct corr_rules *rules, const char *durable,
           struct replay_report *report);

#endif
