include $(CURDIR)/apps/siem/common/common.mk
# `make run` forwards syslog UDP and TCP and RELP from 127.0.0.1.
APP_PORTS := udp:5514:514 tcp:5601:601 tcp:12514:2514
# decoders.rules is compiled in (the assembler reads it) once the host
# checker has loaded it and run its examples (host.mk).
norm_default_goal := $(.DEFAULT_GOAL)
$(OUT)/app$(APP_DIR)/builtin_decoders.c.o: $(APP_DIR)/decoders.rules $(BUILD)/host/decoders.checked
.DEFAULT_GOAL := $(norm_default_goal)
