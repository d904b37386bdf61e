# The bind shell listens on TCP 4444; `make APP=bindshell run` forwards it.
APP_PORTS := tcp:4444:4444
