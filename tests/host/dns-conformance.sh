#!/usr/bin/env bash
# The DNS server's Linux build answers as Debian's NSD does, query for query
# (tests/dns/conformance.sh; a few seconds). The same comparison runs
# against the booted unikernel with --target.
exec "$(dirname "$0")/../dns/conformance.sh"
