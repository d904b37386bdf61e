/* RELP, the Reliable Event Logging Protocol of rsyslog's omrelp (librelp),
 * server side: an incremental frame decoder and the responses to send.
 * Frames are "TXNR SP COMMAND SP DATALEN [SP DATA] LF". */
#ifndef SIEM_RELP_H
#define SIEM_RELP_H

#include <stddef.h>
#include <stdint.h>

/* The largest DATALEN accepted: librelp's own default (128 KiB), so that
 * no frame omrelp sends is refused. DATA beyond the decoder's record limit
 * is read and dropped, not buffered, and the record flagged truncated. */
#define SIEM_RELP_MAX_DATA (128 * 1024)
/* TXNR is 1..999999999 and wraps to 1 (librelp). */
#define SIEM_RELP_TXNR_MAX 999999999u
/* The longest command name (librelp). */
#define SIEM_RELP_CMD_MAX 32

enum siem_relp_command {
    SIEM_RELP_OPEN = 1,
    SIEM_RELP_SYSLOG,
    SIEM_RELP_CLOSE,
};

/* Errors of siem_relp_feed. Each one means the session cannot continue:
 * the caller closes the connection (the sender retransmits what was not
 * acknowledged, on a new session). */
enum siem_relp_error {
    SIEM_RELP_E_TXNR = -1,    /* not 1..9 digits, or not the next number */
    SIEM_RELP_E_COMMAND = -2, /* not letters, too long, or not open/syslog/close */
    SIEM_RELP_E_DATALEN = -3, /* not 1..9 digits, or above SIEM_RELP_MAX_DATA */
    SIEM_RELP_E_TRAILER = -4, /* DATA not followed by LF, or no SP before DATA */
    SIEM_RELP_E_STATE = -5,   /* syslog or close before open, a second open,
                                 anything after close */
};

struct siem_relp_frame {
    uint32_t txnr;
    enum siem_relp_command command;
    const char *data; /* DATA (up to the record limit); valid during the call */
    size_t len;
    int truncated; /* DATA was longer than the record limit */
};

/* Receives a complete frame. For SIEM_RELP_SYSLOG the caller acknowledges
 * with siem_relp_rsp_ok once the record is safely published; for
 * SIEM_RELP_OPEN it answers siem_relp_rsp_open; for SIEM_RELP_CLOSE
 * siem_relp_rsp_close, then closes the connection. */
typedef void (*siem_relp_fn)(void *ctx, const struct siem_relp_frame *frame);

struct siem_relp {
    char *buf; /* max bytes of DATA */
    size_t max;
    size_t used;
    int state;
    int error;  /* sticky: once set, the session is finished */
    int digits; /* of the TXNR or DATALEN being read */
    uint32_t txnr, expect, left;
    char cmd[SIEM_RELP_CMD_MAX + 1];
    int cmdlen;
    enum siem_relp_command command;
    int truncated; /* of the frame being read */
    int opened, closed;
    uint64_t frames, errors; /* counters for the heartbeat */
};

/* Prepares r for one connection; max_record 0 means SIEM_FRAME_MAX_DEFAULT
 * (8192 bytes, the normaliser's record limit, as over TCP). Returns 0, or
 * -1 when out of memory. */
int siem_relp_init(struct siem_relp *r, size_t max_record);
void siem_relp_free(struct siem_relp *r);

/* Consumes data[0..len), calling fn for each complete frame. Returns 0, or
 * a negative enum siem_relp_error (counted in r->errors); after an error
 * the rest of the input and every later call are refused with it. */
int siem_relp_feed(struct siem_relp *r, const char *data, size_t len, siem_relp_fn fn, void *ctx);

/* A short reason for an error code, for the log. */
const char *siem_relp_strerror(int error);

/* Responses, written NUL-terminated to buf. Each returns its length
 * without the NUL, or -1 if it does not fit. */
/* "TXNR rsp 6 200 OK\n": a syslog frame is safely received. */
int siem_relp_rsp_ok(char *buf, size_t size, uint32_t txnr);
/* "TXNR rsp LEN 200 OK\nrelp_version=0\nrelp_software=SOFTWARE\n
 * commands=syslog" and the trailer LF: accepts the session, offering only
 * syslog (omrelp refuses a server that does not list it). */
int siem_relp_rsp_open(char *buf, size_t size, uint32_t txnr, const char *software);
/* "TXNR rsp 0\n": acknowledges close; the server then closes. */
int siem_relp_rsp_close(char *buf, size_t size, uint32_t txnr);
/* "0 serverclose 0\n": optional hint before the server drops a session. */
int siem_relp_serverclose(char *buf, size_t size);

#endif
