/* The web page's files, compiled into the image (assets.c): the only
 * paths the manager serves besides /api/. */
#ifndef SIEM_MGR_ASSETS_H
#define SIEM_MGR_ASSETS_H

#include <stddef.h>

struct mgr_asset {
    const char *path; /* "/app.js" */
    const char *type; /* Content-Type */
    const char *data;
    size_t len;
};

/* The asset served at path, or NULL. */
const struct mgr_asset *mgr_asset(const char *path);

#endif
