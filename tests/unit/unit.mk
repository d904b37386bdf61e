# The host unit tests (Check suites), built here and run by
# tests/unit/run.sh (make unit-test). Three kinds of binary:
#   unit-tests        tests/unit/*.c with the pure-logic project files below
#   dns-unit-tests    tests/unit/dns/*.c with the DNS server's core
#   siem-NAME-unit-tests  one per folder tests/unit/siem/NAME/: its *.c, the
#                     files its "sources" lists, and Debian's cJSON
# Included by the top Makefile.
UNIT_OUT := $(BUILD)/tests/unit
# The project files the suites in tests/unit/ cover.
UNIT_SRCS := kernel/cmdline.c kernel/boot_info.c kernel/pages.c kernel/timerq.c kernel/hwrng.c \
	drivers/virtq.c drivers/virtio_pci_cap.c net/chksum.c net/copy.c libos/inet.c libos/netdb.c \
	libos/sockaddr.c libos/sockopt.c libos/pipebuf.c libos/realloc.c
# tests/unit/host/ stands in for the one newlib header lwIP's port needs.
UNIT_CFLAGS := -std=c11 -D_DEFAULT_SOURCE -O1 -g -Wall -Wextra -Werror -Itests/unit
UNIT_INC := -Itests/unit/host -Ilibos $(INC_NET)
# A sanitizer finding must fail the test, not just print. tests/unit/run.sh
# drops ASan where it cannot run.
UNIT_SAN ?= -fsanitize=address -fsanitize=undefined -fno-sanitize-recover=all
CHECK_FLAGS = $(shell pkg-config --cflags --libs check)
UNIT_HEADERS = $(wildcard kernel/*.h arch/$(ARCH)/*.h drivers/*.h net/*.h net/arch/*.h libos/*.h \
	tests/unit/*.h tests/unit/host/*/*.h)
SIEM_UNIT_DIRS := $(patsubst tests/unit/siem/%/,%,$(wildcard tests/unit/siem/*/))
UNIT_BINS := $(UNIT_OUT)/unit-tests $(UNIT_OUT)/dns-unit-tests \
	$(patsubst %,$(UNIT_OUT)/siem-%-unit-tests,$(SIEM_UNIT_DIRS))

unit-build: $(UNIT_BINS)

$(UNIT_OUT)/unit-tests: $(wildcard tests/unit/*.c) $(UNIT_SRCS) $(UNIT_HEADERS) tests/unit/unit.mk \
	| $(LWIP_STAMP)
	@mkdir -p $(@D)
	@echo "  CC      $@ (host)"
	@gcc $(UNIT_CFLAGS) $(UNIT_INC) $(UNIT_SAN) $(filter %.c,$^) -o $@ $(CHECK_FLAGS)

$(UNIT_OUT)/dns-unit-tests: $(wildcard tests/unit/dns/*.c tests/unit/dns/*.h) $(DNS_CORE) \
	$(DNS_DIR)/dns.h tests/unit/unit.mk
	@mkdir -p $(@D)
	@echo "  CC      $@ (host)"
	@gcc $(UNIT_CFLAGS) -I$(DNS_DIR) $(UNIT_SAN) $(filter %.c,$^) -o $@ $(CHECK_FLAGS)

# A SIEM folder's "sources" is read only when its binary is considered.
siem_unit_srcs = $(shell grep -v -e '^\#' -e '^$$' tests/unit/siem/$1/sources)
.SECONDEXPANSION:
$(UNIT_OUT)/siem-%-unit-tests: $$(wildcard tests/unit/siem/%/*.c tests/unit/siem/%/*.h) \
	tests/unit/siem/%/sources $$(call siem_unit_srcs,$$*) $(wildcard apps/siem/common/*.h) \
	$$(wildcard apps/siem/$$*/*.h) \
	$(CJSON)/cJSON.c $(SODIUM_HOST_LIB) tests/unit/unit.mk
	@mkdir -p $(@D)
	@echo "  CC      $@ (host)"
	@gcc $(UNIT_CFLAGS) -Iapps/siem/common -Iapps/siem/$* -I$(CJSON) -I$(SODIUM_INC) $(UNIT_SAN) \
		$(filter %.c,$^) $(SODIUM_HOST_LIB) -o $@ -lm $(CHECK_FLAGS)
