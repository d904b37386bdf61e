#!/usr/bin/env bash
# Running out of memory where the kernel needs a new page-table page fails
# the request (pthread_create: EAGAIN, malloc: ENOMEM) instead of
# panicking, and the image runs on. A small VM, so exhaustion comes fast.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_app tests/boot/apps/oomtest || exit 0
boot oom --mem 16M "$ROOT/build/oomtest/oomtest.elf"
expect oom 0 '^oomtest: all passed$'
image_checks oom oomtest 3
