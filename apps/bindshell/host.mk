# bindshell as an ordinary Linux program, where the commands it is sent
# really run (the other half of the RCE demonstration):
#   make bindshell-host  ->  build/bindshell-host/bindshell
# It listens on 127.0.0.1 unless given an address: it is a real remote shell.
# The unikernel image is make APP=bindshell. Included by the top Makefile.
BINDSHELL_HOST_OUT := $(BUILD)/bindshell-host
BINDSHELL_HOST_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -g -Wall -Wextra -Werror \
	-fstack-protector-strong -D_FORTIFY_SOURCE=2 -pthread \
	-DBINDSHELL_DEFAULT_ADDR='"127.0.0.1"'

.PHONY: bindshell-host
bindshell-host: $(BINDSHELL_HOST_OUT)/bindshell

$(BINDSHELL_HOST_OUT)/bindshell: apps/bindshell/main.c apps/bindshell/host.mk
	@mkdir -p $(@D)
	@echo "  CC      $@ (Linux host build)"
	@gcc $(BINDSHELL_HOST_CFLAGS) $< -o $@
