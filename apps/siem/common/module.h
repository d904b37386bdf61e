/* What every SIEM module does the same way: reading its key=value
 * arguments, the bus connection, and the heartbeat on siem.health.<module>. */
#ifndef SIEM_MODULE_H
#define SIEM_MODULE_H

#include "args.h"
#include "bus.h"
#include "cJSON.h"
#include "counters.h"

#ifndef SIEM_VERSION
#define SIEM_VERSION "0.1.0"
#endif

/* Reads the module's arguments into args (its table, args.h): first those
 * of the secrets file, if the host gave one (fw_cfg, docs/siem.md
 * "Secrets"), then argv[1..], key=value words. Then checks every value
 * against its type and range. An unknown word or a bad value prints one
 * line naming it (the accepted keys, or values) and exits with status 2;
 * "help" prints the table. */
void module_args(const char *module, int argc, char **argv, struct module_arg *args);

/* Overwrites key's value if it came from the secrets file (a secret read
 * and no longer needed) and leaves it "". */
void module_arg_wipe(struct module_arg *args, const char *key);

/* Connects to the bus at the nats= argument as client "siem-<module>"
 * (retrying until the server answers) with the identity nkey= names (the
 * seed is wiped after use); a malformed address or seed exits with
 * status 2 and a line naming it. */
struct bus *module_connect(const char *module, struct module_arg *args);

/* bus_subscribe for a subscription the module cannot work without: a
 * failure ends the module (status 1) with a line naming the subject. */
struct bus_queue *module_subscribe(const char *module, struct bus *b, const char *subject);

/* Starts the heartbeat: every period_s seconds a JSON object with module,
 * version, instance, started, uptime_s and counters on siem.health.<module>:
 * the bus's (bus_reconnects, bus_dropped), then the module's table. */
void module_heartbeat(struct bus *b, const char *module, int period_s,
                      const struct module_counters *counters);

/* Wall-clock time in epoch nanoseconds. */
long long module_now_ns(void);

#endif
