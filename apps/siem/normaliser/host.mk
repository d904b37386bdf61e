# The normaliser's decoder rule base on Linux (tools/siem_decoders.c, from
# the same sources as the image): the build's check of decoders.rules, and
#   make decoder-check [DECODERS=FILE]     load FILE, run its examples
#   make decoder-bench [DECODERS=FILE] [CORPUS=FILE]  lines/s, parser alone
#   make decoder-coverage CORPUS=FILE [DECODERS=FILE] share read per program
# Included by the top Makefile.
DEC_DIR := apps/siem/normaliser
DEC_RULES := $(DEC_DIR)/decoders.rules
DECODERS ?= $(DEC_RULES)
# A synthetic auth.log (tests/host/decoders/make-corpus.py) unless CORPUS names one.
DEC_CORPUS := $(BUILD)/host/decoder-corpus.log
CORPUS ?= $(DEC_CORPUS)
DEC_SRCS := $(addprefix $(DEC_DIR)/,decoder_pattern.c decoder_fields.c decoder_match.c \
	decoder_load.c recognise.c builtin_decoders.c ipaddr.c syslog.c stamp.c sd.c) apps/siem/common/siemtime.c \
	apps/siem/common/civil.c
DEC_TOOL := $(BUILD)/host/siem-decoders

.PHONY: decoder-check decoder-bench decoder-coverage

$(DEC_TOOL): tools/siem_decoders.c $(DEC_SRCS) $(wildcard $(DEC_DIR)/*.h) $(DEC_DIR)/host.mk
	@mkdir -p $(@D)
	@echo "  CC      $@ (host)"
	@gcc $(HOST_CFLAGS) -O2 -I$(DEC_DIR) -Iapps/siem/common $(filter %.c,$^) -o $@

# The image's rule base is checked before it is compiled in: a broken
# decoder or example stops the build with file:line.
$(BUILD)/host/decoders.checked: $(DEC_RULES) $(DEC_TOOL)
	@$(DEC_TOOL) check $(DEC_RULES) >/dev/null && touch $@

decoder-check: $(DEC_TOOL)
	@$(DEC_TOOL) check $(DECODERS)

$(DEC_CORPUS): tests/host/decoders/make-corpus.py
	@mkdir -p $(@D)
	@python3 $< 20000 >$@

decoder-bench: $(DEC_TOOL) $(CORPUS)
	@$(DEC_TOOL) bench $(DECODERS) $(CORPUS)

decoder-coverage: $(DEC_TOOL) $(CORPUS)
	@$(DEC_TOOL) coverage $(DECODERS) $(CORPUS)

# make normalise-bench [CORPUS=FILE]: the host time per record of
# siem_normalise and of its parts (tools/bench/normbench.c).
NORM_BENCH := $(BUILD)/host/normbench
NORM_BENCH_SRCS := $(DEC_SRCS) $(addprefix $(DEC_DIR)/,normalise.c evdoc.c) \
	$(addprefix apps/siem/common/,jsonw.c utf8.c event.c id.c) $(CJSON)/cJSON.c
.PHONY: normalise-bench
$(NORM_BENCH): tools/bench/normbench.c $(NORM_BENCH_SRCS) $(SODIUM_HOST_LIB) $(DEC_DIR)/host.mk
	@mkdir -p $(@D)
	@echo "  CC      $@ (host)"
	@gcc $(HOST_CFLAGS) -O2 -I$(DEC_DIR) -Iapps/siem/common -I$(CJSON) -I$(SODIUM_INC) \
		$(filter %.c,$^) $(SODIUM_HOST_LIB) -lm -o $@

normalise-bench: $(NORM_BENCH) $(CORPUS)
	@$(NORM_BENCH) $(CORPUS)
