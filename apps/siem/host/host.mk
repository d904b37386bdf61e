# The SIEM's normaliser, store and correlator as Linux programs, from the
# same sources as their images: make siem-host builds
# build/siem-host/siem-{normaliser,store,correlator}. What differs on Linux
# is in apps/siem/host/: the libos calls the modules make (the secrets file
# from $SIEM_SECRETS, boot module 0 from $SIEM_BOOT_MODULE) and the store's
# disk (a file, $SIEM_STORE_DISK). No sanitizers: these measure the
# protocol's native rate (tools/bench-siem-host.sh). The manager is left
# out: it needs libmicrohttpd built for Linux. Included by the top Makefile.
SIEM_HOST_OUT := $(BUILD)/siem-host
SIEM_HOST_MODULES := normaliser store correlator
SIEM_HOST_BINS := $(patsubst %,$(SIEM_HOST_OUT)/siem-%,$(SIEM_HOST_MODULES))
# System headers come first: libos's public headers are looked in only for
# <libos/...>, which the host files here implement.
SIEM_HOST_CFLAGS := -std=gnu11 -O2 -g -fno-omit-frame-pointer -Wall -Wextra -Werror -pthread \
	-Iapps/siem/common -I$(CJSON) -I$(SODIUM_INC) -idirafter libos/include \
	-DSIEM_VERSION='"$(or $(SIEM_VERSION),0.1.0)"'
SIEM_HOST_COMMON := $(sort $(wildcard apps/siem/common/*.c)) apps/siem/host/fw_cfg.c \
	apps/siem/host/modules.c apps/siem/host/console.c
# A module's sources: its folder's, the store's disk file for its blk one.
siem_host_srcs = $(filter-out apps/siem/store/disk.c,$(sort $(wildcard apps/siem/$1/*.c))) \
	$(if $(filter store,$1),apps/siem/host/disk.c)

.PHONY: siem-host
.SECONDEXPANSION:
siem-host: $(SIEM_HOST_BINS)

$(SIEM_HOST_OUT)/cJSON.o: $(CJSON)/cJSON.c
	@mkdir -p $(@D)
	@gcc -std=c89 -O2 -g -Wall -c $< -o $@

$(SIEM_HOST_OUT)/siem-%: $$(call siem_host_srcs,%) $(SIEM_HOST_COMMON) \
	$$(wildcard apps/siem/%/*.h apps/siem/%/*.rules) $(wildcard apps/siem/common/*.h) \
	$(SIEM_HOST_OUT)/cJSON.o $(SODIUM_HOST_LIB) $(BUILD)/host/decoders.checked apps/siem/host/host.mk
	@mkdir -p $(@D)
	@echo "  CC      $@ (host)"
	@gcc $(SIEM_HOST_CFLAGS) -Iapps/siem/$* -DCORR_RULES_FILE='"apps/siem/$*/default.rules"' \
		$(filter %.c %.o %.a,$^) -o $@ -lm
