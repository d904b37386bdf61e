/* Validation of IP addresses in text form, as they appear in log lines. */
#ifndef SIEM_IPADDR_H
#define SIEM_IPADDR_H

#include <stddef.h>

#define SIEM_IP_MAX 45 /* the longest IPv6 text form, without its NUL */

/* 1 when p[0..len) is an IPv4 dotted quad (no leading zeros beyond "0")
 * or an IPv6 address in RFC 4291 2.2 text form ("::" once, an embedded
 * trailing dotted quad allowed); 0 otherwise. */
int siem_ip_valid(const char *p, size_t len);

#endif
