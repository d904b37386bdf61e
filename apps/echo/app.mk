# `make APP=echo run` forwards 127.0.0.1:8007 (TCP and UDP) to the echo port.
APP_PORTS := tcp:8007:7 udp:8007:7
