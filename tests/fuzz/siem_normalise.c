/* libFuzzer target: any bytes as a received syslog record through the
 * whole normaliser (parse, recognise, ECS event). The event must be one
 * line of valid UTF-8 that parses back as a JSON object with the record's
 * message, and its subject and id must be NUL-terminated; the record as an
 * unframeable one (siem_normalise_error) likewise. Otherwise the target
 * aborts. */
#include <stdlib.h>
#include <string.h>

#include "cJSON.h"
#include "normalise.h"
#include "utf8.h"

#define MID_2024 1719835200000000000ll /* 2024-07-01T12:00:00Z */

static void check_event(const struct siem_normalised *ev)
{
    size_t len = strlen(ev->json);
    if (len == 0 || memchr(ev->json, '\n', len))
        abort(); /* one line */
    for (size_t i = 0, n; i < len; i += n)
        if ((n = siem_utf8_seq((const unsigned char *)ev->json + i, len - i)) == 0)
            abort();
    cJSON *root = cJSON_Parse(ev->json);
    if (!cJSON_IsObject(root) || !cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(root, "event")))
        abort();
    if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(root, "message")))
        abort();
    cJSON_Delete(root);
    if (!memchr(ev->subject, '\0', sizeof(ev->subject)) || !memchr(ev->id, '\0', sizeof(ev->id)))
        abort();
    if (strncmp(ev->subject, "siem.events.", 12) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct siem_reception rx = {.transport = "tcp",
                                .sender_ip = "192.0.2.7",
                                .sender_port = 51514,
                                .received_ns = MID_2024};
    struct siem_normalised ev;
    if (siem_normalise(&rx, (const char *)data, size, &ev) == 0) {
        check_event(&ev);
        siem_normalised_free(&ev);
    }
    rx.truncated = 1;
    rx.transport = "relp";
    if (siem_normalise_error(&rx, (const char *)data, size, "malformed octet count", &ev) == 0) {
        if (!ev.pipeline_error)
            abort();
        check_event(&ev);
        siem_normalised_free(&ev);
    }
    return 0;
}
