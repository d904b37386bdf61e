/* The modules' console as Linux programs: stdout into a file or pipe is
 * block-buffered by the C library, so a module's lines ("store: ready")
 * would appear only in bulk; line-buffered they appear as on the image's
 * serial console. */
#include <stdio.h>

__attribute__((constructor)) static void console_line_buffered(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
}
