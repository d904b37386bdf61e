/* RELP frame decoding, as librelp's relpframe.c state machine accepts
 * frames (same digit and name limits), and the server's responses. */
#include "relp.h"

#include "framing.h" /* the record limit, the same as over TCP */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { TXNR, CMD, DATALEN, DATA, SKIP_DATA, TRAILER, FAILED };

int siem_relp_init(struct siem_relp *r, size_t max_record)
{
    memset(r, 0, sizeof(*r));
    r->max = max_record ? max_record : SIEM_FRAME_MAX_DEFAULT;
    r->buf = malloc(r->max);
    r->state = TXNR;
    r->expect = 1;
    return r->buf ? 0 : -1;
}

void siem_relp_free(struct siem_relp *r)
{
    free(r->buf);
    r->buf = NULL;
}

static int fail(struct siem_relp *r, int error)
{
    r->state = FAILED;
    r->error = error;
    r->errors++;
    return error;
}

/* The command is known once its SP arrives: check it against the session
 * state before reading any data. */
static int command(struct siem_relp *r)
{
    r->cmd[r->cmdlen] = '\0';
    if (strcmp(r->cmd, "open") == 0)
        r->command = SIEM_RELP_OPEN;
    else if (strcmp(r->cmd, "syslog") == 0)
        r->command = SIEM_RELP_SYSLOG;
    else if (strcmp(r->cmd, "close") == 0)
        r->command = SIEM_RELP_CLOSE;
    else
        return SIEM_RELP_E_COMMAND;
    if (r->closed || (r->command == SIEM_RELP_OPEN) == r->opened)
        return SIEM_RELP_E_STATE;
    return 0;
}

static void dispatch(struct siem_relp *r, siem_relp_fn fn, void *ctx, int truncated)
{
    struct siem_relp_frame f = {r->txnr, r->command, r->buf, r->used, truncated};
    if (r->command == SIEM_RELP_OPEN)
        r->opened = 1;
    else if (r->command == SIEM_RELP_CLOSE)
        r->closed = 1;
    r->expect = r->expect == SIEM_RELP_TXNR_MAX ? 1 : r->expect + 1;
    r->frames++;
    fn(ctx, &f);
}

int siem_relp_feed(struct siem_relp *r, const char *data, size_t len, siem_relp_fn fn, void *ctx)
{
    size_t i = 0;
    while (i < len) {
        char c = data[i];
        int digit = c >= '0' && c <= '9';
        switch (r->state) {
        case TXNR:
            i++;
            if (digit && r->digits < 9) {
                r->txnr = r->txnr * 10 + (uint32_t)(c - '0');
                r->digits++;
            } else if (c == ' ' && r->digits > 0 && r->txnr == r->expect) {
                r->state = CMD;
                r->cmdlen = 0;
            } else {
                return fail(r, SIEM_RELP_E_TXNR);
            }
            break;
        case CMD:
            i++;
            if (((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && r->cmdlen < SIEM_RELP_CMD_MAX) {
                r->cmd[r->cmdlen++] = c;
            } else if (c == ' ' && r->cmdlen > 0) {
                int e = command(r);
                if (e)
                    return fail(r, e);
                r->state = DATALEN;
                r->digits = 0;
                r->left = 0;
            } else {
                return fail(r, SIEM_RELP_E_COMMAND);
            }
            break;
        case DATALEN:
            i++;
            if (digit && r->digits < 9) {
                r->left = r->left * 10 + (uint32_t)(c - '0');
                r->digits++;
                if (r->left > SIEM_RELP_MAX_DATA)
                    return fail(r, SIEM_RELP_E_DATALEN);
            } else if (r->digits == 0 || digit) {
                return fail(r, SIEM_RELP_E_DATALEN);
            } else if (r->left == 0) {
                /* No data: no SP either, the trailer comes at once. */
                if (c != '\n')
                    return fail(r, SIEM_RELP_E_TRAILER);
                r->used = 0;
                dispatch(r, fn, ctx, 0);
                goto next_frame;
            } else if (c == ' ') {
                r->used = 0;
                r->truncated = 0;
                r->state = DATA;
            } else {
                return fail(r, SIEM_RELP_E_TRAILER);
            }
            break;
        case DATA:
        case SKIP_DATA: {
            size_t n = len - i < r->left ? len - i : r->left;
            if (r->state == DATA) {
                size_t keep = r->max - r->used < n ? r->max - r->used : n;
                memcpy(r->buf + r->used, data + i, keep);
                r->used += keep;
                if (keep < n)
                    r->truncated = 1;
            }
            r->left -= (uint32_t)n;
            i += n;
            if (r->truncated)
                r->state = SKIP_DATA;
            if (r->left == 0)
                r->state = TRAILER;
            break;
        }
        case TRAILER:
            i++;
            if (c != '\n')
                return fail(r, SIEM_RELP_E_TRAILER);
            dispatch(r, fn, ctx, r->truncated);
            goto next_frame;
        case FAILED:
            return r->error;
        }
        continue;
    next_frame:
        r->state = TXNR;
        r->txnr = 0;
        r->digits = 0;
        r->truncated = 0;
    }
    return r->state == FAILED ? r->error : 0;
}

const char *siem_relp_strerror(int error)
{
    switch (error) {
    case SIEM_RELP_E_TXNR:
        return "bad or out-of-sequence RELP transaction number";
    case SIEM_RELP_E_COMMAND:
        return "bad or unknown RELP command";
    case SIEM_RELP_E_DATALEN:
        return "bad RELP data length, or above the maximum";
    case SIEM_RELP_E_TRAILER:
        return "RELP frame not ended by LF";
    case SIEM_RELP_E_STATE:
        return "RELP command out of order";
    default:
        return error ? "unknown RELP error" : "no error";
    }
}

/* "TXNR rsp LEN[ DATA]\n", the frame syntax in the other direction. */
static int rsp(char *buf, size_t size, uint32_t txnr, const char *data)
{
    size_t len = strlen(data);
    int n =
        len ? snprintf(buf, size, "%lu rsp %lu %s\n", (unsigned long)txnr, (unsigned long)len, data)
            : snprintf(buf, size, "%lu rsp 0\n", (unsigned long)txnr);
    return n >= 0 && (size_t)n < size ? n : -1;
}

int siem_relp_rsp_ok(char *buf, size_t size, uint32_t txnr)
{
    return rsp(buf, size, txnr, "200 OK");
}

int siem_relp_rsp_open(char *buf, size_t size, uint32_t txnr, const char *software)
{
    char data[256];
    int n = snprintf(data, sizeof(data),
                     "200 OK\nrelp_version=0\nrelp_software=%s\ncommands=syslog", software);
    if (n < 0 || (size_t)n >= sizeof(data))
        return -1;
    return rsp(buf, size, txnr, data);
}

int siem_relp_rsp_close(char *buf, size_t size, uint32_t txnr)
{
    return rsp(buf, size, txnr, "");
}

int siem_relp_serverclose(char *buf, size_t size)
{
    int n = snprintf(buf, size, "0 serverclose 0\n");
    return n >= 0 && (size_t)n < size ? n : -1;
}
