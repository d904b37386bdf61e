# The DNS server as a Linux program from the same sources (zones from -z
# files instead of boot modules), with AddressSanitizer and UBSan:
# make dns-host builds build/dns-host/dns. Also its libFuzzer targets
# (make fuzz) and the source list the host unit tests use
# (tests/unit/unit.mk). Included by the top Makefile.
DNS_DIR := apps/dns
# The server's logic: no sockets, no zone source. One list for the host
# program, the fuzzers and the unit tests.
DNS_CORE := $(addprefix $(DNS_DIR)/,name.c zonelex.c rdata.c zone.c zonecheck.c db.c wire.c \
	answer.c respond.c stats.c)
DNS_SERVER := $(DNS_CORE) $(addprefix $(DNS_DIR)/,tcp.c main.c embed.c source_host.c)
DNS_HOST_OUT := $(BUILD)/dns-host
FUZZ_OUT := $(BUILD)/fuzz
FUZZ_TIME ?= 30
DNS_HOST_ZONE := $(abspath $(or $(ZONE),$(DNS_DIR)/zones/example.test.zone))
HOST_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -O1 -g -fno-omit-frame-pointer -Wall -Wextra -Werror
HOST_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
DNS_ZONE_FLAGS := -DDNS_ZONE_FILE='"$(DNS_HOST_ZONE)"' \
	-DDNS_ZONE_NAME='"$(notdir $(DNS_HOST_ZONE))"'
DNS_HOST_DEPS := $(DNS_DIR)/dns.h $(DNS_DIR)/host.mk $(DNS_HOST_ZONE) $(DNS_HOST_OUT)/zone.path

.PHONY: dns-host fuzz fuzz-build

dns-host: $(DNS_HOST_OUT)/dns

# embed.c includes the zone through the assembler: rebuild when ZONE
# names another file.
$(DNS_HOST_OUT)/zone.path: FORCE
	@mkdir -p $(@D) && { echo '$(DNS_HOST_ZONE)' | cmp -s - $@ || echo '$(DNS_HOST_ZONE)' >$@; }

$(DNS_HOST_OUT)/dns: $(DNS_SERVER) $(DNS_HOST_DEPS)
	@echo "  CC      $@ (host, ASan+UBSan)"
	@gcc $(HOST_CFLAGS) $(HOST_SAN) $(DNS_ZONE_FLAGS) $(filter %.c,$^) -o $@

# libFuzzer: one target for a message through the whole answer path, one
# for the zone parser and index; each runs FUZZ_TIME seconds.
FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I$(DNS_DIR)

$(FUZZ_OUT)/fuzz-packet: tests/dns/fuzz_packet.c $(DNS_CORE) $(DNS_DIR)/embed.c $(DNS_HOST_DEPS)
	@mkdir -p $(dir $@)
	@echo "  CLANG   $@"
	@clang $(HOST_CFLAGS) $(FUZZ_FLAGS) $(DNS_ZONE_FLAGS) $(filter %.c,$^) -o $@

$(FUZZ_OUT)/fuzz-zone: tests/dns/fuzz_zone.c $(DNS_CORE) $(DNS_HOST_DEPS)
	@mkdir -p $(dir $@)
	@echo "  CLANG   $@"
	@clang $(HOST_CFLAGS) $(FUZZ_FLAGS) $(filter %.c,$^) -o $@

fuzz-build: $(FUZZ_OUT)/fuzz-packet $(FUZZ_OUT)/fuzz-zone

fuzz: fuzz-build
	@tests/dns/fuzz.sh $(FUZZ_OUT) $(FUZZ_TIME)
