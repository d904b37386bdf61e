# The DNS server as a Linux program from the same sources (zones from -z
# files instead of boot modules), with AddressSanitizer and UBSan:
# make dns-host builds build/dns-host/dns. Also the source list the host
# unit tests (tests/unit/unit.mk) and the fuzzers (tests/fuzz/fuzz.mk) use.
# Included by the top Makefile.
DNS_DIR := apps/dns
# The server's logic: no sockets, no zone source. One list for the host
# program, the fuzzers and the unit tests.
DNS_CORE := $(addprefix $(DNS_DIR)/,name.c zonelex.c rdata.c zone.c zonecheck.c db.c wire.c \
	answer.c respond.c stats.c)
DNS_SERVER := $(DNS_CORE) $(addprefix $(DNS_DIR)/,tcp.c main.c embed.c source_host.c)
DNS_HOST_OUT := $(BUILD)/dns-host
DNS_HOST_ZONE := $(abspath $(or $(ZONE),$(DNS_DIR)/zones/example.test.zone))
HOST_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -O1 -g -fno-omit-frame-pointer -Wall -Wextra -Werror
HOST_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
DNS_ZONE_FLAGS := -DDNS_ZONE_FILE='"$(DNS_HOST_ZONE)"' \
	-DDNS_ZONE_NAME='"$(notdir $(DNS_HOST_ZONE))"'
DNS_HOST_DEPS := $(DNS_DIR)/dns.h $(DNS_DIR)/host.mk $(DNS_HOST_ZONE) $(DNS_HOST_OUT)/zone.path

.PHONY: dns-host

dns-host: $(DNS_HOST_OUT)/dns

# embed.c includes the zone through the assembler: rebuild when ZONE
# names another file.
$(DNS_HOST_OUT)/zone.path: FORCE
	@mkdir -p $(@D) && { echo '$(DNS_HOST_ZONE)' | cmp -s - $@ || echo '$(DNS_HOST_ZONE)' >$@; }

$(DNS_HOST_OUT)/dns: $(DNS_SERVER) $(DNS_HOST_DEPS)
	@echo "  CC      $@ (host, ASan+UBSan)"
	@gcc $(HOST_CFLAGS) $(HOST_SAN) $(DNS_ZONE_FLAGS) $(filter %.c,$^) -o $@
