# Debian's libmicrohttpd, built unmodified against libos (Makefile).
APP_LIBS := microhttpd
APP_PORTS := tcp:8080:80
