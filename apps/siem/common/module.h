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
 * then exits with status 2, on anything else. "help" prints them all.
 * First it takes the arguments of the secrets file, if the host gave one
 * (fw_cfg, docs/siem.md "Secrets"); the command line's words come after. */
void module_args(const char *module, int argc, char **argv, struct module_arg *args);

/* Overwrites key's value if it came from the secrets file (a secret read
 * and no longer needed) and leaves it "". */
void module_arg_wipe(struct module_arg *args, const char *key);

/* The value of key in args (which must have it). */
const char *module_arg(const struct module_arg *args, const char *key);

/* module_arg as a number in [min, max]; out of range exits with status 2. */
long module_arg_num(const char *module, const struct module_arg *args, const char *key, long min,
                    long max);

/* Connects to the bus at the nats= argument as client "siem-<module>"
 * (retrying until the server answers) with the identity nkey= names (the
 * seed is wiped after use); a malformed address or seed exits with
 * status 2 and a line naming it. */
struct bus *module_connect(const char *module, struct module_arg *args);

/* Fills the module's counters into obj (called from the heartbeat thread). */
typedef void (*module_counters_fn)(cJSON *obj);

/* Starts the heartbeat: every period_s seconds a JSON object with module,
 * version, instance, started, uptime_s and counters on siem.health.<module>. */
void module_heartbeat(struct bus *b, const char *module, int period_s, module_counters_fn counters);

/* Wall-clock time in epoch nanoseconds. */
long long module_now_ns(void);

#endif
