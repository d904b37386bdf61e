/* libFuzzer target: the sshd, sudo and su recognisers. The first byte
 * picks the program (sshd, sshd-session, sudo, su, or another), the rest
 * is the message. A recognised line must name its category, type, action
 * and outcome, and every text field must be a NUL-terminated string of
 * printable bytes; source.ip must be a valid address and source.port a
 * port. Otherwise the target aborts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "recognise.h"

static const char *const apps[] = {"sshd", "sshd-session", "sudo", "su", "cron"};
#define N_APPS (sizeof(apps) / sizeof(apps[0]))

static void text_field(const char *s, size_t cap, int printable)
{
    const char *nul = memchr(s, '\0', cap);
    if (!nul)
        abort();
    for (const char *p = s; printable && p < nul; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            abort(); /* a control character could forge a field downstream */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const char *app = apps[data[0] % N_APPS];
    const char *msg = (const char *)data + 1;
    struct siem_recognised out;
    memset(&out, 0xa5, sizeof(out)); /* nothing stale may look like a result */
    int r = siem_recognise(app, strlen(app), msg, size - 1, &out);
    if (r != 0 && r != 1)
        abort();
    if (r == 0) {
        if (out.category || out.user[0] || out.target_user[0] || out.source_ip[0] ||
            out.source_port != -1)
            abort(); /* a half-matched line leaves nothing behind */
        return 0;
    }
    if (!out.category || !out.type || !out.action || !out.outcome)
        abort();
    text_field(out.user, sizeof(out.user), 1);
    text_field(out.target_user, sizeof(out.target_user), 1);
    text_field(out.source_ip, sizeof(out.source_ip), 1);
    if (out.source_ip[0] && !siem_ip_valid(out.source_ip, strlen(out.source_ip)))
        abort();
    if (out.source_port < -1 || out.source_port > 65535)
        abort();
    return 0;
}
