include $(CURDIR)/apps/siem/common/common.mk
# `make run` forwards syslog UDP and TCP and RELP from 127.0.0.1.
APP_PORTS := udp:5514:514 tcp:5601:601 tcp:12514:2514
