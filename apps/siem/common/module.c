/* Module arguments and heartbeats, shared by every SIEM module. */
#include "module.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "siemtime.h"

static void usage(const char *module, const struct module_arg *args)
{
    printf("%s arguments (key=value):\n", module);
    for (const struct module_arg *a = args; a->key; a++)
        printf("  %s=%s  %s\n", a->key, a->value, a->help);
}

void module_args(const char *module, int argc, char **argv, struct module_arg *args)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "help") == 0 || strcmp(argv[i], "--help") == 0) {
            usage(module, args);
            exit(0);
        }
        const char *eq = strchr(argv[i], '=');
        struct module_arg *a = args;
        for (; eq && a->key; a++) {
            if (strlen(a->key) == (size_t)(eq - argv[i]) &&
                strncmp(a->key, argv[i], (size_t)(eq - argv[i])) == 0)
                break;
        }
        if (!eq || !a->key) {
            fprintf(stderr, "%s: unknown argument '%s'; accepted:", module, argv[i]);
            for (a = args; a->key; a++)
                fprintf(stderr, " %s=", a->key);
            fprintf(stderr, " (\"help\" describes them)\n");
            exit(2);
        }
        a->value = eq + 1;
    }
}

const char *module_arg(const struct module_arg *args, const char *key)
{
    for (; args->key; args++) {
        if (strcmp(args->key, key) == 0)
            return args->value;
    }
    return "";
}

long module_arg_num(const char *module, const struct module_arg *args, const char *key, long min,
                    long max)
{
    const char *v = module_arg(args, key);
    char *end;
    long n = strtol(v, &end, 10);
    if (!*v || *end || n < min || n > max) {
        fprintf(stderr, "%s: %s=%s: expected a number from %ld to %ld\n", module, key, v, min, max);
        exit(2);
    }
    return n;
}

struct bus *module_connect(const char *module, const struct module_arg *args)
{
    char name[48];
    snprintf(name, sizeof(name), "siem-%s", module);
    struct bus *b = bus_connect(module_arg(args, "nats"), name);
    if (!b) {
        fprintf(stderr, "%s: nats=%s: expected HOST:PORT\n", module, module_arg(args, "nats"));
        exit(2);
    }
    return b;
}

long long module_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

struct heartbeat {
    struct bus *bus;
    char module[32];
    char instance[17];
    char started[SIEM_TIME_LEN];
    long long started_ns;
    int period_s;
    module_counters_fn counters;
};

static void *beat(void *arg)
{
    struct heartbeat *h = arg;
    char subject[64];
    snprintf(subject, sizeof(subject), "siem.health.%s", h->module);
    for (;;) {
        cJSON *o = cJSON_CreateObject(), *c = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "module", h->module);
        cJSON_AddStringToObject(o, "version", SIEM_VERSION);
        cJSON_AddStringToObject(o, "instance", h->instance);
        cJSON_AddStringToObject(o, "started", h->started);
        cJSON_AddNumberToObject(o, "uptime_s",
                                (double)((module_now_ns() - h->started_ns) / 1000000) / 1000.0);
        cJSON_AddNumberToObject(c, "bus_reconnects", bus_reconnects(h->bus));
        h->counters(c);
        cJSON_AddItemToObject(o, "counters", c);
        char *text = cJSON_PrintUnformatted(o);
        if (text)
            bus_publish(h->bus, subject, NULL, NULL, text, strlen(text));
        free(text);
        cJSON_Delete(o);
        sleep((unsigned)h->period_s);
    }
    return NULL;
}

void module_heartbeat(struct bus *b, const char *module, int period_s, module_counters_fn counters)
{
    struct heartbeat *h = calloc(1, sizeof(*h));
    if (!h)
        return;
    h->bus = b;
    snprintf(h->module, sizeof(h->module), "%s", module);
    snprintf(h->instance, sizeof(h->instance), "%08lx%08lx", (unsigned long)arc4random(),
             (unsigned long)arc4random());
    h->started_ns = module_now_ns();
    siem_time_format_ns(h->started_ns, h->started);
    h->period_s = period_s;
    h->counters = counters;
    pthread_t t;
    pthread_create(&t, NULL, beat, h);
    pthread_detach(t);
}
