/* What every SIEM module does the same way: its key=value arguments, the
 * bus connection, and the heartbeat on siem.health.<module>. */
#ifndef SIEM_MODULE_H
#define SIEM_MODULE_H

#include "bus.h"
#include "cJSON.h"

#ifndef SIEM_VERSION
#define SIEM_VERSION "0.1.0"
#endif

/* One argument a module accepts: key=value, with its default and help. */
struct module_arg {
    const char *key;
    const char *value; /* the default; replaced by the command line's */
    const char *help;
};

/* Parses argv[1..] as key=value words into args (terminated by a NULL
 * key); prints a one-line error naming the word and the accepted keys,
 * then exits with status 2, on anything else. "help" prints them all. */
void module_args(const char *module, int argc, char **argv, struct module_arg *args);

/* The value of key in args (which must have it). */
const char *module_arg(const struct module_arg *args, const char *key);

/* module_arg as a number in [min, max]; out of range exits with status 2. */
long module_arg_num(const char *module, const struct module_arg *args, const char *key, long min,
                    long max);

/* Connects to the bus at the nats= argument as client "siem-<module>"
 * (retrying until the server answers); a malformed address exits with
 * status 2 and a line naming it. */
struct bus *module_connect(const char *module, const struct module_arg *args);

/* Fills the module's counters into obj (called from the heartbeat thread). */
typedef void (*module_counters_fn)(cJSON *obj);

/* Starts the heartbeat: every period_s seconds a JSON object with module,
 * version, instance, started, uptime_s and counters on siem.health.<module>. */
void module_heartbeat(struct bus *b, const char *module, int period_s, module_counters_fn counters);

/* Wall-clock time in epoch nanoseconds. */
long long module_now_ns(void);

#endif
