include $(CURDIR)/apps/siem/common/common.mk
# default.rules is compiled in; the assembler reads it, so say so to make.
APP_CFLAGS += -DCORR_RULES_FILE='"$(APP_DIR)/default.rules"'
corr_default_goal := $(.DEFAULT_GOAL)
$(OUT)/app$(APP_DIR)/builtin_rules.c.o: $(APP_DIR)/default.rules
.DEFAULT_GOAL := $(corr_default_goal)
