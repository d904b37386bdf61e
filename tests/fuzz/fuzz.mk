# libFuzzer targets (clang, ASan + UBSan) for every parser that reads
# bytes from outside: DNS messages and zone files, syslog records and their
# TCP framings, the loader's boot information and the kernel command line.
#   make fuzz [FUZZ_TIME=30] [FUZZ_TARGETS=...]   each target for FUZZ_TIME s
#   make fuzz-long [FUZZ_RUNS=10000000] [FUZZ_MAX_TIME=0]
#                                       each target to FUZZ_RUNS executions
#   make fuzz-build                     the binaries only (build/fuzz/fuzz-NAME)
# tests/fuzz/fuzz.sh runs them (--help); tests/host/fuzz-regress.sh replays
# tests/fuzz/corpus/ and tests/fuzz/regress/ in make test. Included by the
# top Makefile after apps/dns/host.mk and tests/unit/unit.mk, whose source
# lists it reuses.
FUZZ_OUT := $(BUILD)/fuzz
FUZZ_TIME ?= 30
FUZZ_RUNS ?= 10000000
FUZZ_MAX_TIME ?= 0
FUZZ_ALL := dns-packet dns-zone siem-syslog siem-recognise siem-normalise siem-framing siem-relp \
	siem-decoders boot-info cmdline
FUZZ_TARGETS ?= $(FUZZ_ALL)
FUZZ_BINS := $(patsubst %,$(FUZZ_OUT)/fuzz-%,$(FUZZ_ALL))
FUZZ_FLAGS := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_CC = @mkdir -p $(@D) && echo "  CLANG   $@" && clang $(HOST_CFLAGS) $(FUZZ_FLAGS)

# The normaliser's pure logic, as its unit tests list it, and cJSON.
FUZZ_SIEM_SRCS = $(call siem_unit_srcs,normaliser) $(CJSON)/cJSON.c $(SODIUM_HOST_LIB)
FUZZ_SIEM_DEPS = tests/fuzz/fuzz.mk tests/unit/siem/normaliser/sources \
	$(wildcard apps/siem/common/*.h apps/siem/normaliser/*.h)
FUZZ_SIEM_INC := -Iapps/siem/common -Iapps/siem/normaliser -I$(CJSON) -I$(SODIUM_INC)

.PHONY: fuzz fuzz-long fuzz-build

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	@tests/fuzz/fuzz.sh --out $(FUZZ_OUT) --time $(FUZZ_TIME) $(FUZZ_TARGETS)

fuzz-long: fuzz-build
	@nice -n 10 tests/fuzz/fuzz.sh --out $(FUZZ_OUT) --runs $(FUZZ_RUNS) \
		--max-time $(FUZZ_MAX_TIME) $(FUZZ_TARGETS)

$(FUZZ_OUT)/fuzz-dns-packet: tests/fuzz/dns_packet.c $(DNS_CORE) $(DNS_DIR)/embed.c \
	$(DNS_HOST_DEPS) tests/fuzz/fuzz.mk
	$(FUZZ_CC) -I$(DNS_DIR) $(DNS_ZONE_FLAGS) $(filter %.c,$^) -o $@

$(FUZZ_OUT)/fuzz-dns-zone: tests/fuzz/dns_zone.c $(DNS_CORE) $(DNS_DIR)/dns.h tests/fuzz/fuzz.mk
	$(FUZZ_CC) -I$(DNS_DIR) $(filter %.c,$^) -o $@

$(FUZZ_OUT)/fuzz-siem-%: tests/fuzz/siem_%.c $$(FUZZ_SIEM_SRCS) $$(FUZZ_SIEM_DEPS) | $(CJSON_STAMP)
	$(FUZZ_CC) $(FUZZ_SIEM_INC) $(filter %.c %.a,$^) -o $@

$(FUZZ_OUT)/fuzz-boot-info: tests/fuzz/boot_info.c kernel/boot_info.c kernel/boot_info.h \
	kernel/param.h tests/fuzz/fuzz.mk
	$(FUZZ_CC) -Ikernel $(filter %.c,$^) -o $@

$(FUZZ_OUT)/fuzz-cmdline: tests/fuzz/cmdline.c kernel/cmdline.c kernel/cmdline.h kernel/param.h \
	tests/fuzz/fuzz.mk
	$(FUZZ_CC) -Ikernel $(filter %.c,$^) -o $@
