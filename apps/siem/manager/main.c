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
    {"nats", "10.0.2.2:4222", "NATS server HOST:PORT"},
    {"nkey", "", "the module's NATS identity, a user seed (from the secrets file)"},
    {"http", "80", "TCP port of the API and web page"},
    {"token", "", "the token that write requests carry (Authorization: Bearer); empty: none"},
    {"heartbeat", "2", "seconds between heartbeats"},
    {NULL, NULL, NULL},
};

static struct bus *bus;

static void counters(cJSON *o)
{
    cJSON_AddNumberToObject(o, "requests", (double)mgr_http_stats.requests);
    cJSON_AddNumberToObject(o, "status_2xx", (double)mgr_http_stats.status_2xx);
    cJSON_AddNumberToObject(o, "status_4xx", (double)mgr_http_stats.status_4xx);
    cJSON_AddNumberToObject(o, "status_5xx", (double)mgr_http_stats.status_5xx);
    cJSON_AddNumberToObject(o, "unauthorized", (double)mgr_http_stats.unauthorized);
    cJSON_AddNumberToObject(o, "store_queries", (double)mgr_api_stats.store_queries);
    cJSON_AddNumberToObject(o, "bus_errors", (double)mgr_api_stats.bus_errors);
    cJSON_AddNumberToObject(o, "acks", (double)mgr_api_stats.acks);
    cJSON_AddNumberToObject(o, "acks_failed", (double)mgr_api_stats.acks_failed);
    cJSON_AddNumberToObject(o, "bus_reconnects", (double)bus_reconnects(bus));
}

int main(int argc, char **argv)
{
    module_args("manager", argc, argv, args);
    unsigned port = (unsigned)module_arg_num("manager", args, "http", 1, 65535);
    int period = (int)module_arg_num("manager", args, "heartbeat", 1, 3600);
    const char *token = module_arg(args, "token");
    if (token[0] && strlen(token) < 16) {
        fprintf(stderr, "manager: token=: at least 16 characters\n");
        return 2;
    }

    bus = module_connect("manager", args);
    mgr_api_start(bus);
    if (mgr_http_start(port, token) < 0) {
        fprintf(stderr, "manager: cannot serve HTTP on port %u\n", port);
        return 1;
    }
    module_heartbeat(bus, "manager", period, counters);
    printf("manager: ready (http %u, writes %s)\n", port,
           token[0] ? "need the token" : "disabled: no token=");
    for (;;)
        sleep(3600);
}
