#!/usr/bin/env bash
# The DNS server's Linux build (ASan, UBSan) survives 12,000 malformed
# datagrams and garbage TCP streams and counts them (tests/dns/robustness.sh;
# a few seconds). The same storm runs against the booted unikernel with --target.
exec "$(dirname "$0")/../dns/robustness.sh"
