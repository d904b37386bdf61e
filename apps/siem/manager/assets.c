/* The web page (web/ in this folder) compiled in: the assembler includes
 * each file byte for byte between two labels. */
#include "assets.h"

#include <string.h>

#define ASSET(sym, file)                                                                           \
    __asm__(".section .rodata.mgr_assets,\"a\"\n"                                                  \
            ".global " #sym "\n" #sym ":\n"                                                        \
            ".incbin \"" MGR_WEB_DIR "/" file "\"\n"                                               \
            ".global " #sym "_end\n" #sym "_end:\n"                                                \
            ".previous\n");                                                                        \
    extern const char sym[], sym##_end[];

ASSET(mgr_index_html, "index.html")
ASSET(mgr_app_js, "app.js")
ASSET(mgr_app_css, "app.css")
ASSET(mgr_icon_svg, "icon.svg")

const struct mgr_asset *mgr_asset(const char *path)
{
    static struct mgr_asset table[] = {
        {"/", "text/html; charset=utf-8", mgr_index_html, 0},
        {"/index.html", "text/html; charset=utf-8", mgr_index_html, 0},
        {"/app.js", "text/javascript; charset=utf-8", mgr_app_js, 0},
        {"/app.css", "text/css; charset=utf-8", mgr_app_css, 0},
        {"/icon.svg", "image/svg+xml", mgr_icon_svg, 0},
    };
    static const char *const ends[] = {mgr_index_html_end, mgr_index_html_end, mgr_app_js_end,
                                       mgr_app_css_end, mgr_icon_svg_end};
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (strcmp(path, table[i].path) == 0) {
            table[i].len = (size_t)(ends[i] - table[i].data);
            return &table[i];
        }
    return NULL;
}
