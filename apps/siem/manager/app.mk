# The SIEM manager: HTTP API and web page (libmicrohttpd), assets compiled in.
include $(CURDIR)/apps/siem/common/common.mk
APP_LIBS += microhttpd
APP_PORTS := tcp:8080:80
APP_CFLAGS += -DMGR_WEB_DIR='"$(APP_DIR)/web"'
# The assembler reads the page's files (assets.c): say so to make.
mgr_default_goal := $(.DEFAULT_GOAL)
$(OUT)/app$(APP_DIR)/assets.c.o: $(wildcard $(APP_DIR)/web/*)
.DEFAULT_GOAL := $(mgr_default_goal)
