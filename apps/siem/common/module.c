/* Reading module arguments (the secrets file, the command line), the bus
 * connection and heartbeats, shared by every SIEM module. */
#include "module.h"

#include <errno.h>
#include <libos/fw_cfg.h>
#include <pthread.h>
#include <sodium/utils.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "siemtime.h"

/* Sets one key=value word; an unknown key or a word without '=' exits
 * with status 2. */
static void set_arg(const char *module, struct module_arg *args, const char *word,
                    const char *value)
{
    const char *eq = strchr(word, '=');
    struct module_arg *a = eq ? module_arg_find(args, word) : NULL;
    if (!a) {
        /* A secret's value is not repeated in the message. */
        fprintf(stderr, "%s: unknown argument '%.*s'; accepted:", module,
                (int)(eq ? eq - word : (long)strlen(word)), word);
        for (a = args; a->key; a++)
            fprintf(stderr, " %s=", a->key);
        fprintf(stderr, " (\"help\" describes them)\n");
        exit(2);
    }
    a->value = value ? value : eq + 1;
}

/* The secrets file (docs/siem.md "Secrets"), handed over by QEMU's fw_cfg
 * device as SECRETS_FILE: its first line is SECRETS_MAGIC, then one
 * key=value argument a line. The values are copied to the heap and the
 * buffer wiped, so a secret is in memory once, where the module can wipe
 * it after use. */
#define SECRETS_FILE "opt/siem/secrets"
#define SECRETS_MAGIC "siem-secrets 1\n"
#define SECRETS_MAX 4096
#define MAX_SECRETS 16

/* The values read from the secrets file: heap copies, to be wiped. */
static const char *secrets[MAX_SECRETS];
static int n_secrets;

static void secret_args(const char *module, struct module_arg *args)
{
    static char text[SECRETS_MAX + 1];
    ssize_t len = libos_fw_cfg_read(SECRETS_FILE, text, SECRETS_MAX);
    if (len < 0)
        return;
    size_t magic = strlen(SECRETS_MAGIC);
    if (len > SECRETS_MAX || (size_t)len < magic || memcmp(text, SECRETS_MAGIC, magic) != 0) {
        fprintf(stderr, "%s: the secrets file (fw_cfg %s) is not one (%zd bytes)\n", module,
                SECRETS_FILE, len);
        exit(2);
    }
    text[len] = '\0';
    char *save = NULL;
    for (char *line = strtok_r(text + magic, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char *eq = strchr(line, '=');
        const char *value = eq ? strdup(eq + 1) : NULL;
        set_arg(module, args, line, value);
        if (value && n_secrets < MAX_SECRETS)
            secrets[n_secrets++] = value;
    }
    sodium_memzero(text, sizeof(text));
}

void module_args(const char *module, int argc, char **argv, struct module_arg *args)
{
    secret_args(module, args);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "help") == 0 || strcmp(argv[i], "--help") == 0) {
            module_args_usage(module, args);
            exit(0);
        }
        set_arg(module, args, argv[i], NULL);
    }
    char err[256];
    for (struct module_arg *a = args; a->key; a++) {
        if (module_arg_check(a, err, sizeof(err)) < 0) {
            fprintf(stderr, "%s: %s\n", module, err);
            exit(2);
        }
    }
}

void module_arg_wipe(struct module_arg *args, const char *key)
{
    for (; args->key; args++) {
        if (strcmp(args->key, key) != 0)
            continue;
        for (int i = 0; i < n_secrets; i++) {
            if (secrets[i] == args->value)
                sodium_memzero((char *)args->value, strlen(args->value));
        }
        args->value = "";
    }
}

struct bus *module_connect(const char *module, struct module_arg *args)
{
    char name[48];
    snprintf(name, sizeof(name), "siem-%s", module);
    struct nkey id;
    const char *seed = module_arg(args, "nkey");
    int has_id = *seed != '\0';
    if (has_id && nkey_from_seed(seed, &id) < 0) {
        fprintf(stderr, "%s: nkey= is not a NATS user seed (SU..., 58 characters)\n", module);
        exit(2);
    }
    module_arg_wipe(args, "nkey");
    if (has_id)
        printf("%s: NATS identity %s\n", module, id.public_key);
    else
        printf("%s: no nkey= identity: connecting to NATS anonymously\n", module);
    struct bus *b = bus_connect(module_arg(args, "nats"), name, has_id ? &id : NULL);
    nkey_wipe(&id);
    if (!b) {
        fprintf(stderr, "%s: nats=%s: expected HOST:PORT\n", module, module_arg(args, "nats"));
        exit(2);
    }
    return b;
}

struct bus_queue *module_subscribe(const char *module, struct bus *b, const char *subject)
{
    struct bus_queue *q = bus_subscribe(b, subject);
    if (!q) {
        fprintf(stderr, "%s: cannot subscribe to %s: %s\n", module, subject, strerror(errno));
        exit(1);
    }
    return q;
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
    const struct module_counters *counters;
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
        cJSON_AddNumberToObject(c, "bus_dropped", (double)bus_dropped(h->bus));
        module_counters_json(h->counters, c);
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

void module_heartbeat(struct bus *b, const char *module, int period_s,
                      const struct module_counters *counters)
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
