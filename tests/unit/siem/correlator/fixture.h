/* Test helpers for the correlator suites: events built in code, the
 * default rules loaded from the tree, and a recorder for emitted alerts. */
#ifndef CORR_TEST_FIXTURE_H
#define CORR_TEST_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "cJSON.h"
#include "engine.h"
#include "rules.h"

/* 2026-12-01T00:00:00.000Z in ms: the tests' time zero. */
#define T0 1796083200000LL

/* An sshd-, sudo- or other event (by action prefix) at time ms (used as
 * event.created). id NULL: a fresh unique id. ip or user NULL: left out. */
cJSON *ev_make(int64_t ms, const char *id, const char *action, const char *outcome, const char *ip,
               const char *user);

/* Loads apps/siem/correlator/default.rules (tests run from the tree's root). */
void load_default_rules(struct corr_rules *rules);

struct rec_alert {
    char rule[CORR_NAME_MAX + 1];
    char subject[CORR_NAME_MAX + 16];
    char id[CORR_ALERT_ID_LEN];
    char *json;
    long at; /* the recorder's "at" when it came: the index of the event fed */
};

struct recorder {
    struct rec_alert *a;
    size_t n, cap;
    long at;
};

/* A corr_alert_fn that appends to the recorder given as arg. */
void rec_alert_fn(const struct corr_alert *alert, void *arg);
void rec_free(struct recorder *r);

/* Feeds ev (live) and frees it; returns corr_feed's result. */
int feed_free(corr_engine *e, cJSON *ev);

#endif
