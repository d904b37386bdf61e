# The DNS server as a Linux program from the same sources (zones from -z
# files instead of boot modules), with AddressSanitizer and UBSan:
# build/dns-host/dns. Also its libFuzzer targets (make fuzz). The top
# Makefile runs this from the repository root.
DNS_DIR := apps/dns
OUT := build/dns-host
FUZZ_OUT := build/fuzz
FUZZ_TIME ?= 30
ZONE ?= $(DNS_DIR)/zones/example.test.zone
DNS_ZONE := $(abspath $(ZONE))

CORE := name.c zonelex.c rdata.c zone.c zonecheck.c db.c wire.c answer.c respond.c stats.c
SERVER := $(CORE) tcp.c main.c embed.c source_host.c
CFLAGS := -std=c11 -D_DEFAULT_SOURCE -O1 -g -fno-omit-frame-pointer -Wall -Wextra -Werror
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
ZONE_FLAGS := -DDNS_ZONE_FILE='"$(DNS_ZONE)"' -DDNS_ZONE_NAME='"$(notdir $(DNS_ZONE))"'
DEPS := $(DNS_DIR)/dns.h $(DNS_DIR)/host.mk $(DNS_ZONE) $(OUT)/zone.path

.PHONY: dns-host fuzz fuzz-build
.DELETE_ON_ERROR:

dns-host: $(OUT)/dns

# embed.c includes the zone through the assembler: rebuild when ZONE
# names another file.
$(shell mkdir -p $(OUT) && { echo '$(DNS_ZONE)' | cmp -s - $(OUT)/zone.path || \
	echo '$(DNS_ZONE)' >$(OUT)/zone.path; })

$(OUT)/dns: $(addprefix $(DNS_DIR)/,$(SERVER)) $(DEPS)
	@echo "  CC      $@ (host, ASan+UBSan)"
	@gcc $(CFLAGS) $(SAN) $(ZONE_FLAGS) $(filter %.c,$^) -o $@

# libFuzzer: one target for a message through the whole answer path, one
# for the zone parser and index; each runs FUZZ_TIME seconds.
FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I$(DNS_DIR)

$(FUZZ_OUT)/fuzz-packet: tests/dns/fuzz_packet.c $(addprefix $(DNS_DIR)/,$(CORE) embed.c) $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  CLANG   $@"
	@clang $(CFLAGS) $(FUZZ_FLAGS) $(ZONE_FLAGS) $(filter %.c,$^) -o $@

$(FUZZ_OUT)/fuzz-zone: tests/dns/fuzz_zone.c $(addprefix $(DNS_DIR)/,$(CORE)) $(DEPS)
	@mkdir -p $(dir $@)
	@echo "  CLANG   $@"
	@clang $(CFLAGS) $(FUZZ_FLAGS) $(filter %.c,$^) -o $@

fuzz-build: $(FUZZ_OUT)/fuzz-packet $(FUZZ_OUT)/fuzz-zone

fuzz: fuzz-build
	@tests/dns/fuzz.sh $(FUZZ_OUT) $(FUZZ_TIME)
