/* The SIEM manager: the HTTP API and web page people look at. It asks the
 * store (siem.store.query) and the correlator (siem.correlator.rules),
 * listens to the heartbeats and the supervisor's status, and publishes
 * alert acknowledgements into ALERTS (docs/siem.md, "Manager"). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "bus.h"
#include "http.h"
#include "module.h"

static struct module_arg args[] = {
    ARG_STRING("nats", "10.0.2.2:4222", "NATS server HOST:PORT"),
    ARG_STRING("nkey", "", "the module's NATS identity, a user seed (from the secrets file)"),
    ARG_NUM("http", "80", 1, 65535, "TCP port of the API and web page"),
    ARG_STRING("token", "",
               "the token that write requests carry (Authorization: Bearer); empty: none"),
    ARG_STRING("read_token", "",
               "a token that read requests may carry instead of token=; empty: none"),
    ARG_NUM("heartbeat", "2", 1, 3600, "seconds between heartbeats"),
    ARG_END,
};

static struct bus *bus;

/* The heartbeat's counters (bus_reconnects comes with every module's). */
static const struct module_counter counter_table[] = {
    COUNTER("requests", mgr_http_stats.requests),
    COUNTER("status_2xx", mgr_http_stats.status_2xx),
    COUNTER("status_4xx", mgr_http_stats.status_4xx),
    COUNTER("status_5xx", mgr_http_stats.status_5xx),
    COUNTER("unauthorized", mgr_http_stats.unauthorized),
    COUNTER("store_queries", mgr_api_stats.store_queries),
    COUNTER("bus_errors", mgr_api_stats.bus_errors),
    COUNTER("acks", mgr_api_stats.acks),
    COUNTER("acks_failed", mgr_api_stats.acks_failed),
    COUNTER_END,
};
static const struct module_counters counters = {NULL, counter_table, NULL};

int main(int argc, char **argv)
{
    module_args("manager", argc, argv, args);
    unsigned port = (unsigned)module_arg_value(args, "http");
    int period = (int)module_arg_value(args, "heartbeat");
    const char *token = module_arg(args, "token");
    const char *read_token = module_arg(args, "read_token");
    if ((token[0] && strlen(token) < 16) || (read_token[0] && strlen(read_token) < 16)) {
        fprintf(stderr, "manager: token=, read_token=: at least 16 characters\n");
        return 2;
    }

    bus = module_connect("manager", args);
    mgr_api_start(bus);
    if (mgr_http_start(port, token, read_token) < 0) {
        fprintf(stderr, "manager: cannot serve HTTP on port %u\n", port);
        return 1;
    }
    module_heartbeat(bus, "manager", period, &counters);
    printf("manager: ready (http %u, writes %s, reads %s)\n", port,
           token[0] ? "need the token" : "disabled: no token=",
           read_token[0] || token[0] ? "need a token" : "disabled: no read_token= or token=");
    for (;;)
        sleep(3600);
}
