/* The SIEM normaliser: syslog in over UDP, TCP (RFC 6587) and RELP, out as
 * ECS events on the bus (docs/siem.md). A RELP message is acknowledged to
 * its sender only after JetStream acknowledged the event; UDP and TCP
 * events are published without waiting and republished until the stream
 * has them. */
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libos/modules.h>

#include "bus.h"
#include "decoders.h"
#include "jetstream.h"
#include "module.h"
#include "publish.h"
#include "listeners.h"

static struct module_arg args[] = {
    ARG_STRING("nats", "10.0.2.2:4222", "NATS server HOST:PORT"),
    ARG_STRING("nkey", "", "the module's NATS identity, a user seed (from the secrets file)"),
    ARG_NUM("udp", "514", 0, 65535, "syslog UDP port (0: off)"),
    ARG_NUM("tcp", "601", 0, 65535, "syslog TCP port, RFC 6587 framing (0: off)"),
    ARG_NUM("relp", "2514", 0, 65535, "RELP port (0: off)"),
    ARG_SIZE("max-line", "8192", 256, 65536,
             "longest syslog record kept; longer ones are cut and tagged"),
    ARG_NUM("max-conns", "64", 1, 200, "TCP and RELP connections open at once, at most"),
    ARG_NUM("max-conns-per-source", "32", 1, 200,
            "TCP and RELP connections from one address, at most"),
    ARG_NUM("idle", "300", 0, 86400,
            "seconds a TCP or RELP connection may stay quiet (0: no limit)"),
    ARG_NUM("inflight", "1024", 1, 100000,
            "UDP/TCP events published but not yet acknowledged, at most"),
    ARG_SIZE("source-rate", "16777216", 0, 1L << 30,
             "bytes per second one sender address may send (0: no quota)"),
    ARG_SIZE("source-burst", "67108864", 1024, 1L << 30,
             "bytes one sender address may send at once"),
    ARG_NUM("heartbeat", "2", 1, 3600, "seconds between heartbeats"),
    ARG_CHOICE("decoders", "builtin", "builtin|module",
               "builtin, or module: the decoder rule base in the first boot module"),
    ARG_END,
};

/* The heartbeat's counters (publish.h: the listeners add to them). */
static const struct module_counter counter_table[] = {
    COUNTER("received_udp", norm_counters.received_udp),
    COUNTER("received_tcp", norm_counters.received_tcp),
    COUNTER("received_relp", norm_counters.received_relp),
    COUNTER("published", norm_counters.published),
    COUNTER("duplicates", norm_counters.duplicates),
    COUNTER("parse_errors", norm_counters.parse_errors),
    COUNTER("truncated", norm_counters.truncated),
    COUNTER("publish_retries", norm_counters.publish_retries),
    COUNTER("publish_failures", norm_counters.publish_failures),
    COUNTER("inflight", norm_counters.inflight),
    COUNTER("dropped_quota", norm_counters.dropped_quota),
    COUNTER("dropped_udp", norm_counters.dropped_udp),
    COUNTER("throttled", norm_counters.throttled),
    COUNTER("tcp_connections", norm_counters.tcp_connections),
    COUNTER("relp_sessions", norm_counters.relp_sessions),
    COUNTER("relp_errors", norm_counters.relp_errors),
    COUNTER("framing_errors", norm_counters.framing_errors),
    COUNTER("connections_evicted", norm_counters.connections_evicted),
    COUNTER("connections_timed_out", norm_counters.connections_timed_out),
    COUNTER("connections_refused", norm_counters.connections_refused),
    COUNTER_END,
};
static const struct module_counters counters = {NULL, counter_table, NULL};

/* The decoder rule base: compiled in, or the first boot module (tools/run
 * --initrd FILE), loaded and its examples run before anything listens; a
 * broken one stops the normaliser with status 2 and its file:line. */
static void load_decoders(void)
{
    const char *which = module_arg(args, "decoders");
    const struct siem_decoders *base = NULL;
    char err[512];
    int examples;
    if (strcmp(which, "builtin") == 0) {
        base = siem_decoders_builtin();
        which = "decoders.rules";
    } else { /* module: the table allows no other value */
        size_t len;
        const char *name;
        const char *data = libos_module(0, &len, &name);
        if (!data) {
            fprintf(stderr, "normaliser: decoders=module but no boot module was given "
                            "(tools/run --initrd FILE)\n");
            exit(2);
        }
        which = name && *name ? name : "module";
        base = siem_decoders_load(data, len, which, err, sizeof(err));
        if (!base) {
            fprintf(stderr, "normaliser: %s\n", err);
            exit(2);
        }
        siem_decoders_use(base);
    }
    if (!base)
        exit(2);
    int n = siem_decoders_count(base, &examples);
    printf("normaliser: %d decoders from %s, %d examples checked\n", n, which, examples);
}

int main(int argc, char **argv)
{
    module_args("normaliser", argc, argv, args);
    load_decoders();
    struct listen_config cfg = {
        .udp_port = (int)module_arg_value(args, "udp"),
        .tcp_port = (int)module_arg_value(args, "tcp"),
        .relp_port = (int)module_arg_value(args, "relp"),
        .max_line = (size_t)module_arg_value(args, "max-line"),
        .source_rate = (double)module_arg_value(args, "source-rate"),
        .source_burst = (double)module_arg_value(args, "source-burst"),
        .max_conns = (int)module_arg_value(args, "max-conns"),
        .max_conns_per_source = (int)module_arg_value(args, "max-conns-per-source"),
        .idle_s = module_arg_value(args, "idle"),
    };
    int inflight = (int)module_arg_value(args, "inflight");
    int period = (int)module_arg_value(args, "heartbeat");

    struct bus *bus = module_connect("normaliser", args);
    publish_init(bus, inflight);
    module_heartbeat(bus, "normaliser", period, &counters);
    if (listeners_start(&cfg) < 0)
        return 1;
    printf("normaliser: ready (udp %d, tcp %d, relp %d, max-line %zu, source-rate %.0f)\n",
           cfg.udp_port, cfg.tcp_port, cfg.relp_port, cfg.max_line, cfg.source_rate);
    for (;;)
        sleep(3600);
}
