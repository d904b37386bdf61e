# What every SIEM module's app.mk includes: the shared sources, their
# include path, cJSON, and the version string heartbeats report
# (make APP=siem/store SIEM_VERSION=1.2.3).
SIEM_COMMON := $(CURDIR)/apps/siem/common
SIEM_VERSION ?= 0.1.0
APP_SRCS += $(wildcard $(SIEM_COMMON)/*.c)
APP_CFLAGS += -I$(SIEM_COMMON) -DSIEM_VERSION='"$(SIEM_VERSION)"'
APP_LIBS := cjson sodium

# The version is compiled into module.c: rebuild it when SIEM_VERSION changes.
# (Included before the Makefile's first rule: keep "all" the default goal.)
siem_default_goal := $(.DEFAULT_GOAL)
$(OUT)/app$(SIEM_COMMON)/module.c.o: $(OUT)/siem.version
$(OUT)/siem.version: FORCE
	@mkdir -p $(@D) && { echo '$(SIEM_VERSION)' | cmp -s - $@ || echo '$(SIEM_VERSION)' >$@; }
.DEFAULT_GOAL := $(siem_default_goal)
