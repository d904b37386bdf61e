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
    {"nats", "10.0.2.2:4222", "NATS server HOST:PORT"},
    {"nkey", "", "the module's NATS identity, a user seed (from the secrets file)"},
    {"udp", "514", "syslog UDP port (0: off)"},
    {"tcp", "601", "syslog TCP port, RFC 6587 framing (0: off)"},
    {"relp", "2514", "RELP port (0: off)"},
    {"max-line", "8192", "longest syslog record kept; longer ones are cut and tagged"},
    {"max-conns", "64", "TCP and RELP connections open at once, at most"},
    {"max-conns-per-source", "32", "TCP and RELP connections from one address, at most"},
    {"idle", "300", "seconds a TCP or RELP connection may stay quiet (0: no limit)"},
    {"inflight", "1024", "UDP/TCP events published but not yet acknowledged, at most"},
    {"source-rate", "16777216", "bytes per second one sender address may send (0: no quota)"},
    {"source-burst", "67108864", "bytes one sender address may send at once"},
    {"heartbeat", "2", "seconds between heartbeats"},
    {"decoders", "builtin", "builtin, or module: the decoder rule base in the first boot module"},
    {NULL, NULL, NULL},
};

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
    } else if (strcmp(which, "module") == 0) {
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
    } else {
        fprintf(stderr, "normaliser: decoders=%s: expected builtin or module\n", which);
        exit(2);
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
        .udp_port = (int)module_arg_num("normaliser", args, "udp", 0, 65535),
        .tcp_port = (int)module_arg_num("normaliser", args, "tcp", 0, 65535),
        .relp_port = (int)module_arg_num("normaliser", args, "relp", 0, 65535),
        .max_line = (size_t)module_arg_num("normaliser", args, "max-line", 256, 65536),
        .source_rate = (double)module_arg_num("normaliser", args, "source-rate", 0, 1L << 30),
        .source_burst = (double)module_arg_num("normaliser", args, "source-burst", 1024, 1L << 30),
        .max_conns = (int)module_arg_num("normaliser", args, "max-conns", 1, 200),
        .max_conns_per_source =
            (int)module_arg_num("normaliser", args, "max-conns-per-source", 1, 200),
        .idle_s = module_arg_num("normaliser", args, "idle", 0, 86400),
    };
    int inflight = (int)module_arg_num("normaliser", args, "inflight", 1, 100000);
    int period = (int)module_arg_num("normaliser", args, "heartbeat", 1, 3600);

    struct bus *bus = module_connect("normaliser", args);
    publish_init(bus, inflight);
    module_heartbeat(bus, "normaliser", period, publish_counters);
    if (listeners_start(&cfg) < 0)
        return 1;
    printf("normaliser: ready (udp %d, tcp %d, relp %d, max-line %zu, source-rate %.0f)\n",
           cfg.udp_port, cfg.tcp_port, cfg.relp_port, cfg.max_line, cfg.source_rate);
    for (;;)
        sleep(3600);
}
