# The DNS server on the unikernel: every C file here but the Linux zone
# source, with the zone file ZONE compiled in (apps/dns/README.md).
# `make run` answers on 127.0.0.1:8053, UDP and TCP (not 5353: that is
# mDNS, which avahi holds on most desktops; another port:
# make run PORTS='udp:5300:53 tcp:5300:53').
APP_PORTS := udp:8053:53 tcp:8053:53
ZONE ?= $(APP_DIR)/zones/example.test.zone
DNS_ZONE := $(abspath $(ZONE))
$(if $(wildcard $(DNS_ZONE)),,$(error ZONE=$(ZONE): no such file))
APP_SRCS := $(filter-out $(APP_DIR)/source_host.c,$(wildcard $(APP_DIR)/*.c))
APP_CFLAGS += -DDNS_ZONE_FILE='"$(DNS_ZONE)"' -DDNS_ZONE_NAME='"$(notdir $(DNS_ZONE))"'

# The assembler reads the zone, so the compiler's dependency files miss
# it: rebuild embed.c when the file changes or ZONE names another one.
# (Included before the Makefile's first rule: keep "all" the default goal.)
dns_default_goal := $(.DEFAULT_GOAL)
$(OUT)/app$(APP_DIR)/embed.c.o: $(DNS_ZONE) $(OUT)/zone.path
$(OUT)/zone.path: FORCE
	@mkdir -p $(@D) && { echo '$(DNS_ZONE)' | cmp -s - $@ || echo '$(DNS_ZONE)' >$@; }
.DEFAULT_GOAL := $(dns_default_goal)
