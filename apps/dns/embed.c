/* The zone compiled into the server: the build names the file in
 * DNS_ZONE_FILE (zones/example.test.zone, or make ... ZONE=path) and the
 * assembler includes it byte for byte, so no tool beyond gcc is needed. */
#include "dns.h"

#if !defined(DNS_ZONE_FILE) || !defined(DNS_ZONE_NAME)
#error "the build defines DNS_ZONE_FILE (path) and DNS_ZONE_NAME (file name)"
#endif

__asm__(".section .rodata.dns_builtin_zone,\"a\"\n"
        ".global dns_builtin_zone\n"
        ".global dns_builtin_zone_end\n"
        "dns_builtin_zone:\n"
        ".incbin \"" DNS_ZONE_FILE "\"\n"
        "dns_builtin_zone_end:\n"
        ".byte 0\n"
        ".previous\n");

const char dns_builtin_zone_name[] = DNS_ZONE_NAME;
