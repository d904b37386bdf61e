# Builds one bootable ELF per application: kernel + libos + newlib + the app.
#   make [APP=name|APP=/path/to/dir]   build build/<app>/<app>.elf
#   make run | iso | debug | audit      boot it, make a GRUB ISO, debug it
#   make manifest                       its SHA-256, commit, package versions
#   make test | lint | format           tests, formatting check, reformat
#   make dns-host | siem-host | fuzz | bindshell-host  Linux builds of apps, fuzzing
#   make decoder-check | decoder-bench | decoder-coverage  the SIEM's decoders
# See README.md for every target and variable.

# No built-in implicit rules: every rule here is explicit, and searching
# make's catalogue for each of a few hundred prerequisites costs more than
# booting hello does (make APP=hello run: 33 ms of make instead of 10).
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:

ARCH := x86_64
BUILD := build
APP ?= $(if $(wildcard apps/dns/main.c),dns,hello)

# --- Which app: a name under apps/, or a directory anywhere. --------------
# A name may have a folder part (APP=siem/store): apps/siem/store, image
# siem-store. Anything else with a slash is a path.
# An app outside this tree builds in a folder of its own that mirrors its
# path (build/ext/<path>/), so two apps of one name never share objects,
# and a moved app starts afresh instead of from stale dependency files.
ifneq ($(wildcard apps/$(APP)/*.c),)
  APP_DIR := $(CURDIR)/apps/$(APP)
  APP_NAME := $(subst /,-,$(APP))
else
  APP_DIR := $(abspath $(APP))
  APP_NAME := $(notdir $(APP_DIR))
  APP_OUT_OF_TREE := $(if $(filter $(CURDIR)/%,$(APP_DIR)),,1)
endif
OUT := $(if $(APP_OUT_OF_TREE),$(BUILD)/ext$(APP_DIR),$(BUILD)/$(APP_NAME))
KNOWN_APPS := $(patsubst apps/%/,%,$(sort $(dir $(wildcard apps/*/*.c apps/siem/*/main.c))))
APP_OK := $(wildcard $(APP_DIR)/*.c)
NEEDS_APP := $(filter-out test unit-test unit-build bench-boot bench-net bench-dns bench-siem soak clean help \
	bootstrap dns-host siem-host bench-siem-host fuzz fuzz-long fuzz-build bindshell-host siem-nkey bench-bus lint format \
	decoder-check decoder-bench decoder-coverage normalise-bench $(BUILD)/%,$(or $(MAKECMDGOALS),all))
ifneq ($(NEEDS_APP),)
  ifeq ($(APP_OK),)
    $(error unknown app '$(APP)': no C files in $(APP_DIR). Known apps: $(sort $(KNOWN_APPS)) (or APP=/path/to/your/service))
  endif
endif

ELF := $(OUT)/$(APP_NAME).elf
ISO := $(OUT)/$(APP_NAME).iso
OBJ := $(BUILD)/obj

# An app's app.mk may set APP_SRCS (default: every .c in its folder; files
# elsewhere may be added, e.g. a shared folder), APP_CFLAGS, APP_KOPTS
# (kernel options it wants by default), APP_PORTS (ports `make run` forwards
# to it, e.g. tcp:8007:7; see PORTS) and APP_LIBS (libraries from Debian's
# sources it links: cjson, microhttpd).
APP_SRCS := $(sort $(wildcard $(APP_DIR)/*.c))
APP_CFLAGS :=
APP_KOPTS :=
APP_PORTS :=
APP_LIBS :=
-include $(APP_DIR)/app.mk

# --- Toolchain: the host's gcc and binutils, newlib built by bootstrap. ---
CC := gcc
LD := ld
NEWLIB := $(BUILD)/newlib
STAMP := $(BUILD)/stamps/newlib
# Asked of gcc on first use only (a target that compiles nothing for the
# image asks nothing).
GCC_INC = $(eval GCC_INC := $$(shell $(CC) -print-file-name=include))$(GCC_INC)
LIBGCC = $(eval LIBGCC := $$(shell $(CC) -print-libgcc-file-name))$(LIBGCC)

# The kernel ABI: no red zone (interrupts also run on IST stacks),
# position-independent code (the image moves itself to a random address at
# boot: kernel/aslr.c), frame pointers for backtraces, one section per
# function for --gc-sections, stack canaries (kernel/stack_protector.c), and
# stack-clash probes: a frame (or alloca) larger than a page touches each
# page as it grows, so it faults in the guard below its stack instead of
# stepping over it into another thread's stack (kernel/stacks.c).
ABI_FLAGS = -m64 -mno-red-zone -fPIE -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -ffunction-sections -fdata-sections \
	-fstack-protector-strong -mstack-protector-guard=global -fstack-clash-protection \
	-nostdinc -isystem $(NEWLIB)/include -isystem $(GCC_INC) \
	-D_POSIX_TIMERS=1 -D_POSIX_MONOTONIC_CLOCK=200112L $(REPRO_FLAGS)
# Reproducible images: no build folder in __FILE__ or the debug info (this
# tree is ".", an out-of-tree app its own name); newlib is built the same
# way (tools/bootstrap.sh). Inputs are sorted, archives deterministic (ar D),
# and nothing reads the clock: the same commit gives the same image bytes.
REPRO_FLAGS = -ffile-prefix-map=$(CURDIR)=. \
	$(if $(APP_OUT_OF_TREE),-ffile-prefix-map=$(APP_DIR)=$(APP_NAME))
WARN := -Wall -Wextra -Werror
# Our own layers also declare every function they export before defining
# it: a definition that drifts from its header (or from newlib's, or from
# the public socket headers: libos/sockapi.c) does not compile.
WARN_PROJECT := $(WARN) -Wmissing-prototypes
# Speed, without the padding -O2 puts before functions, loops and jump
# targets (16-byte alignment): ~5% of the code, and of no use under TCG,
# which translates guest code block by block wherever it lies.
OPT := -O2 -g -falign-functions=1 -falign-jumps=1 -falign-loops=1 -falign-labels=1
# lwIP for size: ~27 KiB less code in a networked image, and no measurable
# change in DNS queries/s (tools/bench-dns.sh).
LWIP_OPT := -Os -g
PROJECT_CFLAGS = -std=c11 -D_DEFAULT_SOURCE $(OPT) $(WARN_PROJECT) $(ABI_FLAGS)
# Each layer sees its own headers and those of the layers below it, no
# others: apps -> libos -> net -> drivers -> kernel -> arch -> boot. A file
# that reaches up a layer does not compile.
INC_BOOT := -Iboot
INC_ARCH := -Iarch/$(ARCH) $(INC_BOOT)
INC_KERNEL := -Ikernel $(INC_ARCH)
INC_DRIVERS := -Idrivers $(INC_KERNEL)
# lwIP: Debian's source tree (tools/bootstrap.sh), our port in net/.
LWIP := $(BUILD)/src/lwip/src
INC_LWIP := -Inet -I$(LWIP)/include
INC_NET := $(INC_LWIP) $(INC_DRIVERS)
INC_LIBOS := -Ilibos -Ilibos/include $(INC_NET)
# Warnings in an out-of-tree app's own code are shown, not fatal, unless
# WERROR=1; the project's apps keep -Werror.
WERROR ?= $(if $(APP_OUT_OF_TREE),0,1)
APP_WARN = -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror)
# Apps see only the public libos headers (and newlib), and the libraries
# from Debian's sources they name in APP_LIBS.
APP_FLAGS = -std=gnu11 $(OPT) $(APP_WARN) $(ABI_FLAGS) -Ilibos/include $(APP_CFLAGS) \
	$(if $(filter cjson,$(APP_LIBS)),-I$(CJSON)) \
	$(if $(filter microhttpd,$(APP_LIBS)),-I$(BUILD)/src/libmicrohttpd/src/include) \
	$(if $(filter sodium,$(APP_LIBS)),-I$(SODIUM_INC))

KERNEL_SRCS := $(foreach p,boot/*.S arch/$(ARCH)/*.S arch/$(ARCH)/*.c kernel/*.c,$(sort $(wildcard $(p))))
# libos files that replace newlib functions which newlib's own members call
# (abort, __assert_func, _svfprintf_r, _realloc_r) are linked as objects, not from
# libos.a: their definitions are then in place before the linker looks into
# libc.a, so a newlib member that needs one cannot drag in newlib's version.
# --gc-sections still drops what an image does not use.
LIBOS_OVERRIDES := libos/abort.c libos/sprintf.c libos/realloc.c
LIBOS_SRCS := $(sort $(wildcard drivers/*.c)) \
	$(filter-out libos/start.c $(LIBOS_OVERRIDES),$(sort $(wildcard libos/*.c)))
KERNEL_OBJS := $(patsubst %,$(OBJ)/%.o,$(KERNEL_SRCS))
LIBOS_OBJS := $(patsubst %,$(OBJ)/%.o,$(LIBOS_SRCS))
OVERRIDE_OBJS := $(patsubst %,$(OBJ)/%.o,$(LIBOS_OVERRIDES))
LIBOS_LIB := $(OBJ)/libos.a
NET_OBJS := $(patsubst %,$(OBJ)/%.o,$(sort $(wildcard net/*.c)))
NET_LIB := $(OBJ)/libnet.a
# The lwIP sources an image may need; an archive member is linked only when
# something references it, so images without sockets carry no lwIP at all.
LWIP_SRCS := $(addprefix $(LWIP)/core/,init.c def.c dns.c inet_chksum.c ip.c mem.c memp.c \
	netif.c pbuf.c raw.c stats.c sys.c tcp.c tcp_in.c tcp_out.c timeouts.c udp.c) \
	$(addprefix $(LWIP)/core/ipv4/,autoip.c dhcp.c etharp.c icmp.c igmp.c ip4_frag.c ip4.c \
	ip4_addr.c) \
	$(addprefix $(LWIP)/core/ipv6/,ethip6.c icmp6.c inet6.c ip6.c ip6_addr.c ip6_frag.c mld6.c \
	nd6.c) \
	$(addprefix $(LWIP)/api/,api_lib.c api_msg.c err.c netbuf.c sockets.c tcpip.c) \
	$(LWIP)/netif/ethernet.c
LWIP_OBJS := $(patsubst $(LWIP)/%.c,$(OBJ)/lwip/%.o,$(LWIP_SRCS))
LWIP_LIB := $(OBJ)/liblwip.a
LWIP_STAMP := $(BUILD)/stamps/lwip
# cJSON: Debian's source tree (tools/bootstrap.sh), for the SIEM modules.
CJSON := $(BUILD)/src/cjson
CJSON_STAMP := $(BUILD)/stamps/cjson
# Third-party code keeps its own warnings (no -Werror), with our ABI.
LWIP_CFLAGS = -std=gnu99 $(LWIP_OPT) -Wall $(ABI_FLAGS) $(INC_LWIP)
# cJSON for apps that list it in APP_LIBS, compiled like lwIP.
CJSON_OBJ := $(OBJ)/cjson/cJSON.o
CJSON_CFLAGS = -std=c89 -O2 -g -Wall $(ABI_FLAGS)
# libmicrohttpd: Debian's source tree (tools/bootstrap.sh), for the SIEM
# manager. The files its own build compiles for our configuration
# (src/microhttpd/Makefile.am: POSIX threads, no TLS, no epoll, no Digest
# authentication, the system's tsearch), with the configuration header its
# configure would write in ports/microhttpd/ (see there why by hand). The
# host gcc predefines __linux__, which MHD reads as "the kernel is Linux"
# (MSG_MORE and TCP_NODELAY semantics, poll bits): libos is not, so those
# macros are undefined for it. MHD sees libos's public headers only, as an app.
MHD := $(BUILD)/src/libmicrohttpd
MHD_STAMP := $(BUILD)/stamps/libmicrohttpd
MHD_SRCS := $(addprefix $(MHD)/src/microhttpd/,connection.c reason_phrase.c daemon.c internal.c \
	memorypool.c mhd_mono_clock.c mhd_str.c mhd_send.c mhd_sockets.c mhd_itc.c mhd_compat.c \
	mhd_panic.c response.c mhd_threads.c postprocessor.c gen_auth.c basicauth.c)
MHD_OBJS := $(patsubst $(MHD)/src/microhttpd/%.c,$(OBJ)/mhd/%.o,$(MHD_SRCS))
MHD_LIB := $(OBJ)/libmicrohttpd.a
MHD_CFLAGS = -std=gnu99 -O2 -g -Wall $(ABI_FLAGS) -U__linux__ -U__linux -Ulinux -U__gnu_linux__ \
	-D_GNU_SOURCE -DHAVE_CONFIG_H -DBUILDING_MHD_LIB=1 -Iports/microhttpd -I$(MHD)/src/include \
	-I$(MHD)/src/microhttpd -Ilibos/include
# libsodium: Debian's source tree (tools/bootstrap.sh), for the SIEM
# modules (Ed25519 bus identities, BLAKE2b and SHA-256). Only the files
# those need, portable C (no CPU dispatch, no assembly), configured as its
# configure would for x86-64 (128-bit integers, little endian); the
# routines its core.c and randombytes.c would give (the misuse handler,
# the random source) come from ports/libsodium/port.c. Built for the image
# and, for the unit tests and tools/siem's key tool, for the host.
SODIUM := $(BUILD)/src/libsodium/src/libsodium
SODIUM_STAMP := $(BUILD)/stamps/libsodium
SODIUM_INC := $(SODIUM)/include
SODIUM_SRCS := $(addprefix $(SODIUM)/,crypto_sign/ed25519/ref10/keypair.c \
	crypto_sign/ed25519/ref10/sign.c crypto_sign/ed25519/ref10/open.c \
	crypto_core/ed25519/ref10/ed25519_ref10.c crypto_hash/sha512/cp/hash_sha512_cp.c \
	crypto_hash/sha256/cp/hash_sha256_cp.c crypto_generichash/blake2b/ref/blake2b-ref.c \
	crypto_generichash/blake2b/ref/blake2b-compress-ref.c \
	crypto_generichash/blake2b/ref/generichash_blake2b.c crypto_auth/hmacsha256/auth_hmacsha256.c \
	crypto_verify/sodium/verify.c sodium/utils.c)
SODIUM_DEFS := -DHAVE_TI_MODE -DNATIVE_LITTLE_ENDIAN -DCONFIGURED -I$(SODIUM_INC)/sodium \
	-I$(SODIUM_INC)/sodium/private
SODIUM_OBJS := $(patsubst $(SODIUM)/%.c,$(OBJ)/sodium/%.o,$(SODIUM_SRCS)) $(OBJ)/sodium/port.o
SODIUM_LIB := $(OBJ)/libsodium.a
SODIUM_CFLAGS = -std=gnu99 -O2 -g $(ABI_FLAGS) -Ilibos/include $(SODIUM_DEFS)
SODIUM_HOST_OBJS := $(patsubst $(SODIUM)/%.c,$(BUILD)/host/sodium/%.o,$(SODIUM_SRCS)) \
	$(BUILD)/host/sodium/port.o
SODIUM_HOST_LIB := $(BUILD)/host/libsodium.a
# App objects mirror their sources' absolute paths, so files from a shared
# folder get objects of this app's own.
APP_OBJS := $(patsubst /%,$(OUT)/app/%.o,$(abspath $(APP_SRCS))) $(OUT)/start.o $(OVERRIDE_OBJS) \
	$(if $(filter cjson,$(APP_LIBS)),$(CJSON_OBJ))

# A static position-independent image: no dynamic linker, no text
# relocations, and relocation records the image applies to itself, all
# relative and packed (RELR; linker.ld checks none of another kind is left).
LDFLAGS := -static -pie --no-dynamic-linker -z text -z pack-relative-relocs -nostdlib -T linker.ld --gc-sections \
	-z noexecstack -z max-page-size=4096
LIBS = $(if $(filter microhttpd,$(APP_LIBS)),$(MHD_LIB)) \
	$(if $(filter sodium,$(APP_LIBS)),$(SODIUM_LIB)) --start-group $(LIBOS_LIB) $(NET_LIB) \
	$(LWIP_LIB) $(NEWLIB)/lib/libc.a $(NEWLIB)/lib/libm.a $(LIBGCC) --end-group

.PHONY: all run iso debug test unit-test unit-build bench-boot bench-net bench-dns bench-siem bench-siem-host soak clean help \
	bootstrap audit manifest lint format FORCE siem-up
.DELETE_ON_ERROR:
.SECONDARY:

all: $(ELF)

bootstrap $(STAMP) $(LWIP_STAMP) $(CJSON_STAMP) $(MHD_STAMP) $(SODIUM_STAMP):
	@tools/bootstrap.sh $(BUILD)

# An edited bootstrap script (newlib's flags, say) runs again; it rebuilds
# only what its fingerprints say has changed.
$(STAMP) $(LWIP_STAMP) $(CJSON_STAMP) $(MHD_STAMP): tools/bootstrap.sh

$(OBJ)/boot/%.o: CFLAGS_LAYER = $(INC_BOOT)
$(OBJ)/arch/%.o: CFLAGS_LAYER = $(INC_ARCH)
$(OBJ)/kernel/%.o: CFLAGS_LAYER = $(INC_KERNEL)
$(OBJ)/drivers/%.o: CFLAGS_LAYER = $(INC_DRIVERS)
$(OBJ)/net/%.o: CFLAGS_LAYER = $(INC_NET)
$(OBJ)/libos/%.o: CFLAGS_LAYER = $(INC_LIBOS)

$(OBJ)/%.c.o: %.c Makefile | $(STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(PROJECT_CFLAGS) $(CFLAGS_LAYER) -MMD -MP -c $< -o $@

$(OBJ)/%.S.o: %.S Makefile | $(STAMP)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(ABI_FLAGS) $(CFLAGS_LAYER) -MMD -MP -c $< -o $@

$(LIBOS_LIB): $(LIBOS_OBJS)
	@rm -f $@
	@ar rcsD $@ $^

$(NET_LIB): $(NET_OBJS)
	@rm -f $@
	@ar rcsD $@ $^

# The sources appear when bootstrap fetches lwIP.
$(LWIP_SRCS): | $(LWIP_STAMP) ;

$(OBJ)/lwip/%.o: $(LWIP)/%.c Makefile | $(STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      lwip/$*.c"
	@$(CC) $(LWIP_CFLAGS) -MMD -MP -c $< -o $@

$(LWIP_LIB): $(LWIP_OBJS)
	@rm -f $@
	@ar rcsD $@ $^

$(OUT)/app/%.c.o: /%.c Makefile | $(STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $(patsubst $(CURDIR)/%,%,$<)"
	@$(CC) $(APP_FLAGS) -MMD -MP -c $< -o $@

$(CJSON)/cJSON.c: | $(CJSON_STAMP) ;

$(CJSON_OBJ): $(CJSON)/cJSON.c Makefile | $(STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      cjson/cJSON.c"
	@$(CC) $(CJSON_CFLAGS) -MMD -MP -c $< -o $@

$(MHD_SRCS): | $(MHD_STAMP) ;

$(OBJ)/mhd/%.o: $(MHD)/src/microhttpd/%.c ports/microhttpd/MHD_config.h Makefile | $(STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      microhttpd/$*.c"
	@$(CC) $(MHD_CFLAGS) -MMD -MP -c $< -o $@

$(MHD_LIB): $(MHD_OBJS)
	@rm -f $@
	@ar rcsD $@ $^

$(SODIUM_SRCS): | $(SODIUM_STAMP) ;

$(OBJ)/sodium/%.o: $(SODIUM)/%.c Makefile | $(STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      libsodium/$*.c"
	@$(CC) $(SODIUM_CFLAGS) -MMD -MP -c $< -o $@

$(OBJ)/sodium/port.o: ports/libsodium/port.c Makefile | $(STAMP) $(SODIUM_STAMP)
	@mkdir -p $(dir $@)
	@$(CC) $(SODIUM_CFLAGS) -MMD -MP -c $< -o $@

$(SODIUM_LIB): $(SODIUM_OBJS)
	@rm -f $@
	@ar rcsD $@ $^

$(BUILD)/host/sodium/%.o: $(SODIUM)/%.c Makefile
	@mkdir -p $(dir $@)
	@gcc -std=gnu99 -O2 -g -fPIC $(SODIUM_DEFS) -c $< -o $@

$(BUILD)/host/sodium/port.o: ports/libsodium/port.c Makefile | $(SODIUM_STAMP)
	@mkdir -p $(dir $@)
	@gcc -std=gnu99 -O2 -g -fPIC $(SODIUM_DEFS) -c $< -o $@

$(SODIUM_HOST_LIB): $(SODIUM_HOST_OBJS)
	@rm -f $@
	@ar rcsD $@ $^

$(OUT)/start.o: libos/start.c Makefile | $(STAMP)
	@mkdir -p $(dir $@)
	@$(CC) $(PROJECT_CFLAGS) $(INC_LIBOS) -DAPP_NAME='"$(APP_NAME)"' -MMD -MP -c $< -o $@

# Two links: the first gives the addresses the symbol table records, the
# second adds the table at the end of .rodata, which moves no code.
$(OUT)/ksyms0.o: tools/ksyms.sh
	@mkdir -p $(dir $@)
	@tools/ksyms.sh > $(OUT)/ksyms0.S && $(CC) -c $(OUT)/ksyms0.S -o $@

$(ELF): $(KERNEL_OBJS) $(APP_OBJS) $(LIBOS_LIB) $(NET_LIB) $(LWIP_LIB) \
	$(if $(filter microhttpd,$(APP_LIBS)),$(MHD_LIB)) $(if $(filter sodium,$(APP_LIBS)),$(SODIUM_LIB)) \
	$(OUT)/ksyms0.o linker.ld tools/ksyms.sh
	@echo "  LD      $@"
	@$(LD) $(LDFLAGS) -o $(OUT)/pass1.elf $(KERNEL_OBJS) $(APP_OBJS) $(LIBS) $(OUT)/ksyms0.o
	@tools/ksyms.sh $(OUT)/pass1.elf > $(OUT)/ksyms.S
	@$(CC) -c $(OUT)/ksyms.S -o $(OUT)/ksyms.o
	@$(LD) $(LDFLAGS) -o $@ $(KERNEL_OBJS) $(APP_OBJS) $(LIBS) $(OUT)/ksyms.o
	@tools/ksyms.sh --check $(OUT)/pass1.elf $@
	@# Left empty (linker.ld checks), but GRUB refuses an image with any RELA section.
	@objcopy --remove-section .rela.dyn $@
	@strip -o $(OUT)/$(APP_NAME).stripped $@
	@echo "  IMAGE   $@ ($$(stat -c %s $(OUT)/$(APP_NAME).stripped) bytes stripped)"

# --- Running ---------------------------------------------------------------
# ARGS: main()'s arguments. KOPTS: kernel options (before "--").
# DISK: raw disk images to attach as virtio-blk disks 0, 1, ...
ARGS ?=
KOPTS ?= $(APP_KOPTS)
QEMU_OPTS ?=
# MACHINE: QEMU machine type, pc or microvm (virtio-mmio; tools/run --machine).
MACHINE ?= pc
# PORTS: forwards from 127.0.0.1 to the guest, as PROTO:HOST:GUEST
# (tools/run --port), next to the app's APP_PORTS; one for a guest port
# APP_PORTS already forwards replaces that default (--default-port).
PORTS ?=
RUN := tools/run --machine $(MACHINE) $(QEMU_OPTS) $(foreach d,$(DISK),--disk $(d)) \
	$(foreach p,$(APP_PORTS),--default-port $(p)) $(foreach p,$(PORTS),--port $(p))

run: $(ELF)
	@$(RUN) --append '$(KOPTS) -- $(ARGS)' $(ELF)

$(ISO): $(ELF) tools/mkiso.sh
	@tools/mkiso.sh $(ELF) $@ '$(KOPTS) -- $(ARGS)'

iso: $(ISO)

debug: $(ELF)
	@$(RUN) --debug --append '$(KOPTS) -- $(ARGS)' $(ELF)

audit: $(ELF)
	@tools/audit.sh $(ELF) '$(KOPTS) -- $(ARGS)'

# The image's SHA-256, commit and the Debian package versions in it.
manifest: $(ELF)
	@tools/manifest.sh $(ELF) $(APP_LIBS)

# --- Tests and benchmarks --------------------------------------------------
test: | $(STAMP) $(CJSON_STAMP)
	@tests/run.sh

unit-test: | $(STAMP) $(CJSON_STAMP)
	@tests/run.sh --unit-only

bench-boot: | $(STAMP)
	@tools/bench-boot.sh --machine $(MACHINE)

bench-net: | $(STAMP)
	@tools/bench-net.sh

bench-dns: | $(STAMP)
	@tools/bench-dns.sh --machine $(MACHINE)

bench-siem: | $(STAMP) $(CJSON_STAMP)
	@tools/bench-siem.sh

# Only the part of bench-siem that runs no VM: the modules as Linux programs.
bench-siem-host: | $(STAMP) $(CJSON_STAMP)
	@tools/bench-siem-host.sh

# The DNS image under dnsperf for SOAK_MINUTES (default 10), its stats
# channel watched for rising high-water marks (tools/soak.sh --help).
soak: | $(STAMP)
	@tools/soak.sh --machine $(MACHINE)

# Host unit tests (tests/unit/unit.mk), the DNS server as a Linux program
# (apps/dns/host.mk), bindshell for Linux (apps/bindshell/host.mk), the
# fuzzers (tests/fuzz/fuzz.mk), the formatting check.
include apps/dns/host.mk

# siem-nkey: tools/siem's key tool (NATS user nkeys), a Linux program.
.PHONY: siem-nkey
siem-nkey: $(BUILD)/host/siem-nkey
$(BUILD)/host/siem-nkey: tools/siem_nkey.c apps/siem/common/nkey.c apps/siem/common/nkey.h \
	$(SODIUM_HOST_LIB)
	@mkdir -p $(@D)
	@echo "  CC      $@ (host)"
	@gcc $(HOST_CFLAGS) -Iapps/siem/common -I$(SODIUM_INC) $(filter %.c,$^) $(SODIUM_HOST_LIB) -o $@
# bench-bus: the NATS client's rates against a real nats-server
# (tools/bench/busbench.sh), the client built for Linux.
.PHONY: bench-bus
bench-bus: $(BUILD)/host/busbench
	@tools/bench/busbench.sh
BUS_SRCS := $(addprefix apps/siem/common/,bus.c bus_out.c bus_pending.c bus_wire.c nkey.c)
$(BUILD)/host/busbench: tools/bench/busbench.c $(BUS_SRCS) $(wildcard apps/siem/common/bus*.h) \
	$(SODIUM_HOST_LIB)
	@mkdir -p $(@D)
	@echo "  CC      $@ (host)"
	@gcc $(HOST_CFLAGS) -O2 -Iapps/siem/common -I$(SODIUM_INC) $(filter %.c,$^) $(SODIUM_HOST_LIB) \
		-o $@ -lpthread
include apps/bindshell/host.mk
include apps/siem/normaliser/host.mk
include apps/siem/host/host.mk
include tests/unit/unit.mk
include tests/fuzz/fuzz.mk

# Every C file of the project (not build/, where third-party code lives)
# formatted as .clang-format says (clang-format 14).
lint:
	@tools/format.sh --check

format:
	@tools/format.sh --fix

# The SIEM on this machine, under its supervisor (docs/siem.md).
siem-up:
	@tools/siem up

# A rule that always runs, for files it rewrites only when their content
# changes (zone.path).
FORCE:

clean:
	rm -rf $(OBJ) $(patsubst %,$(BUILD)/%,$(KNOWN_APPS)) $(BUILD)/ext $(BUILD)/tests $(DNS_HOST_OUT) $(SIEM_HOST_OUT) $(FUZZ_OUT) \
		$(BINDSHELL_HOST_OUT)

help:
	@sed -n '1,7p' Makefile | sed 's/^# \{0,1\}//'

# The compiler's header dependencies of the objects this run may build.
-include $(patsubst %.o,%.d,$(KERNEL_OBJS) $(LIBOS_OBJS) $(NET_OBJS) $(LWIP_OBJS) $(APP_OBJS))
