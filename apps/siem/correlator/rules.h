/* Correlation rules: the parsed form of a rule file (format in
 * docs/siem.md, "Correlation rules"), its parser and its JSON description. */
#ifndef CORR_RULES_H
#define CORR_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "cJSON.h"

/* Limits of the format; the parser reports a rule that exceeds one. */
#define CORR_NAME_MAX 48                               /* rule name length: a NATS subject token */
#define CORR_FIELD_MAX 64                              /* dotted field name length */
#define CORR_VALUE_MAX 255                             /* one value to compare with */
#define CORR_MAX_VALUES 16                             /* values in one match/trigger line */
#define CORR_MAX_CONDS 16                              /* match (or trigger) lines in one rule */
#define CORR_MAX_THRESHOLD 1000                        /* bounds the events a group keeps */
#define CORR_MAX_DURATION_MS (30LL * 24 * 3600 * 1000) /* 30 days */

enum corr_op {
    CORR_EQ, /* the field equals one of the values */
    CORR_NE, /* the field is missing or equals none of the values */
};

/* One "match" or "trigger" line: field, operator, one or more values. */
struct corr_cond {
    char field[CORR_FIELD_MAX + 1];
    enum corr_op op;
    char *values[CORR_MAX_VALUES];
    size_t nvalues;
};

struct corr_rule {
    char name[CORR_NAME_MAX + 1];
    char *description;
    struct corr_cond match[CORR_MAX_CONDS]; /* all must hold: a counted event */
    size_t nmatch;
    struct corr_cond trigger[CORR_MAX_CONDS]; /* all must hold: a trigger event */
    size_t ntrigger;                          /* 0: not a sequence rule */
    char group[CORR_FIELD_MAX + 1];           /* "": one group for the whole rule */
    unsigned threshold;                       /* counted events needed to fire */
    int64_t window_ms;                        /* how far back events count */
    int64_t suppress_ms;                      /* quiet time of a group after it fired */
    int severity;                             /* event.severity of the alert, 1..100 */
    int line;                                 /* line of the "rule" keyword */
};

struct corr_rules {
    struct corr_rule *rule;
    size_t count;
};

/* Parses a whole rule file held in text. source names it in error
 * messages. On success fills *out (free it with corr_rules_free) and
 * returns 0; on the first error writes "source:LINE: problem" into err
 * and returns -1 with *out empty. */
int corr_rules_parse(const char *text, const char *source, struct corr_rules *out, char *err,
                     size_t errsize);

void corr_rules_free(struct corr_rules *rules);

/* The rule called name, or NULL. */
const struct corr_rule *corr_rules_find(const struct corr_rules *rules, const char *name);

/* "120s", "5m", "500ms", "1h", "2d" -> milliseconds; 0 or -1 on error. */
int corr_parse_duration(const char *text, int64_t *ms);

/* "low", "medium", "high", "critical" or a number 1..100 -> the number;
 * -1 when it is neither. */
int corr_parse_severity(const char *text);

/* The loaded rules as a JSON array (one object per rule, with every
 * setting), for an API and for the logs; NULL when out of memory. */
cJSON *corr_rules_json(const struct corr_rules *rules);

#endif
