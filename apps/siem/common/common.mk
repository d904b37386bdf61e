# What every SIEM module's app.mk includes: the shared sources, their
# include path, cJSON, and the version string heartbeats report
# (make APP=siem/store SIEM_VERSION=1.2.3).
SIEM_COMMON := $(CURDIR)/apps/siem/common
SIEM_VERSION ?= 0.1.0
APP_SRCS += $(wildcard $(SIEM_COMMON)/*.c)
APP_CFLAGS += -I$(SIEM_COMMON) -DSIEM_VERSION='"$(SIEM_VERSION)"'
APP_LIBS := cjson

# The version is compiled into module.c: rebuild it when SIEM_VERSION changes.
$(shell mkdir -p $(OUT) && { echo '$(SIEM_VERSION)' | cmp -s - $(OUT)/siem.version || \
	echo '$(SIEM_VERSION)' >$(OUT)/siem.version; })
siem_default_goal := $(.DEFAULT_GOAL)
$(OUT)/app$(SIEM_COMMON)/module.c.o: $(OUT)/siem.version
.DEFAULT_GOAL := $(siem_default_goal)
