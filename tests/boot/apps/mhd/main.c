/* mhd: Debian's libmicrohttpd serving a JSON API and a static page from
 * inside the image, for tests/boot/mhd.sh (and the SIEM manager's way of
 * serving HTTP). MHD runs its own polling thread (poll(), non-blocking
 * sockets), woken through a libos pipe; main waits until POST /shutdown
 * and then stops the daemon cleanly.
 *   GET  /             the page
 *   GET  /api/status   {"status":"ok","requests":N,"uptime_ms":N}
 *   POST /api/echo     the request body back, as application/json
 *   POST /shutdown     stop the daemon, exit 0 */
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ECHO_MAX 65536 /* the largest body /api/echo returns */

static const char page[] =
    "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>libos manager</title></head>\n"
    "<body><h1>libos manager</h1><p id=\"s\">loading</p>\n"
    "<script>fetch('/api/status').then(r => r.json())"
    ".then(j => { document.getElementById('s').textContent = j.status; });</script>\n"
    "</body></html>\n";

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t stop_cond = PTHREAD_COND_INITIALIZER;
static int stop_requested;
static unsigned long requests;
static struct timespec started;

/* One request's state: the body being collected (POST /api/echo). */
struct body {
    char *data;
    size_t len;
    int too_big;
    int shutdown; /* POST /shutdown: stop once its reply is sent */
};

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *type,
                             const void *data, size_t len, enum MHD_ResponseMemoryMode mode)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)data, mode);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result json(struct MHD_Connection *c, unsigned status, const char *text)
{
    return reply(c, status, "application/json", text, strlen(text), MHD_RESPMEM_MUST_COPY);
}

static enum MHD_Result status_reply(struct MHD_Connection *c)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long long ms =
        (now.tv_sec - started.tv_sec) * 1000LL + (now.tv_nsec - started.tv_nsec) / 1000000;
    char text[128];
    pthread_mutex_lock(&lock);
    unsigned long n = requests;
    pthread_mutex_unlock(&lock);
    snprintf(text, sizeof(text), "{\"status\":\"ok\",\"requests\":%lu,\"uptime_ms\":%lld}\n", n,
             ms);
    return json(c, MHD_HTTP_OK, text);
}

/* MHD calls this first with *con_cls NULL (headers only), then once per
 * piece of body, then with *upload_data_size 0 when the request is
 * complete. Every reply waits for that last call: one queued on the first
 * call makes MHD close the connection afterwards (no keep-alive). */
static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload_data,
                              size_t *upload_data_size, void **con_cls)
{
    (void)cls, (void)version;
    struct body *b = *con_cls;
    if (!b) {
        if (!(b = calloc(1, sizeof(*b))))
            return MHD_NO;
        *con_cls = b;
        return MHD_YES;
    }
    int is_post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
    int is_get = strcmp(method, MHD_HTTP_METHOD_GET) == 0;
    int is_echo = is_post && strcmp(url, "/api/echo") == 0;
    if (*upload_data_size) { /* keep /api/echo's body, drop any other */
        size_t n = *upload_data_size;
        char *grown;
        if (!is_echo || b->too_big)
            ;
        else if (b->len + n > ECHO_MAX || !(grown = realloc(b->data, b->len + n)))
            b->too_big = 1;
        else {
            memcpy(grown + b->len, upload_data, n);
            b->data = grown;
            b->len += n;
        }
        *upload_data_size = 0;
        return MHD_YES;
    }
    pthread_mutex_lock(&lock);
    requests++;
    pthread_mutex_unlock(&lock);
    if (is_echo && b->too_big)
        return json(c, MHD_HTTP_CONTENT_TOO_LARGE, "{\"error\":\"body too large\"}\n");
    if (is_echo)
        return reply(c, MHD_HTTP_OK, "application/json", b->data ? b->data : "", b->len,
                     MHD_RESPMEM_MUST_COPY);
    if (is_get && strcmp(url, "/") == 0)
        return reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", page, sizeof(page) - 1,
                     MHD_RESPMEM_PERSISTENT);
    if (is_get && strcmp(url, "/api/status") == 0)
        return status_reply(c);
    if (is_post && strcmp(url, "/shutdown") == 0) {
        /* The daemon stops in request_done, once this reply is out:
         * stopping it now could close the connection before it is sent. */
        b->shutdown = 1;
        return json(c, MHD_HTTP_OK, "{\"status\":\"stopping\"}\n");
    }
    return json(c, MHD_HTTP_NOT_FOUND, "{\"error\":\"not found\"}\n");
}

static void request_done(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
    (void)cls, (void)c, (void)why;
    struct body *b = *con_cls;
    if (b && b->shutdown) {
        pthread_mutex_lock(&lock);
        stop_requested = 1;
        pthread_cond_signal(&stop_cond);
        pthread_mutex_unlock(&lock);
    }
    if (b) {
        free(b->data);
        free(b);
        *con_cls = NULL;
    }
}

int main(int argc, char **argv)
{
    unsigned port = argc > 1 ? (unsigned)atoi(argv[1]) : 80;
    clock_gettime(CLOCK_MONOTONIC, &started);
    struct MHD_Daemon *d =
        MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_USE_ERROR_LOG,
                         (uint16_t)port, NULL, NULL, handle, NULL, MHD_OPTION_NOTIFY_COMPLETED,
                         request_done, NULL, MHD_OPTION_CONNECTION_TIMEOUT, 30u, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "mhd: MHD_start_daemon failed\n");
        return 1;
    }
    printf("mhd: libmicrohttpd %s listening on port %u\n", MHD_get_version(), port);
    pthread_mutex_lock(&lock);
    while (!stop_requested)
        pthread_cond_wait(&stop_cond, &lock);
    pthread_mutex_unlock(&lock);
    MHD_stop_daemon(d);
    printf("mhd: stopped after %lu requests\n", requests);
    return 0;
}
