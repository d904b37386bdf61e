#!/usr/bin/env bash
# A normaliser that cannot publish is alerted: the EVENTS stream is made to
# stop taking siem.events.> (its subjects updated over the JetStream API,
# as whoever holds the operator's key can; a deleted stream the supervisor
# re-creates within seconds, a changed one it does not notice), events
# keep coming over UDP, the normaliser's publishes find no stream and are
# retried, and the correlator, which watches the heartbeats, raises
# siem-normaliser-cannot-publish (into ALERTS, which still takes it, so
# tools/siem query --alerts shows it), once. Before, only the
# publish_retries counter rose.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/siem-lib.sh"

T=siem-normaliser-publish
siem_need $T python3 nats-server qemu-system-x86_64 logger || exit 0
siem_build $T || exit 0
trap siem_cleanup EXIT
siem_up $T || exit 0
token=n$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')

if python3 - "$SIEM_NATS" <<'PY' >"$SIEM_STATE/update.out" 2>&1; then
import json, os, sys
sys.path.insert(0, os.environ["ROOT"] + "/tools")
import siem_probe
with siem_probe.connect(int(sys.argv[1])) as nc:
    config = nc.request("$JS.API.STREAM.INFO.EVENTS", b"", timeout=10).json()["config"]
    config["subjects"] = ["siem.elsewhere.>"]
    r = nc.request("$JS.API.STREAM.UPDATE.EVENTS", json.dumps(config), timeout=10).json()
    if "error" in r:
        sys.exit("update refused: %r" % r["error"])
PY
    pass $T/events-diverted
else
    fail $T/events-diverted "$(tail -c 300 "$SIEM_STATE/update.out")"
    exit 0
fi

# Events to publish: a few, once a second, until the alert is there or
# 90 s have passed.
for i in $(seq 90); do
    logger -n 127.0.0.1 -P "$SIEM_UDP" -d -t app -p user.info -- "lost $token $i"
    siem query --alerts rule.name=siem-normaliser-cannot-publish >"$SIEM_STATE/alerts.jsonl" 2>"$SIEM_STATE/query.err" || true
    [ -s "$SIEM_STATE/alerts.jsonl" ] && break
    sleep 1
done
if [ -s "$SIEM_STATE/alerts.jsonl" ] && grep -q '"module":{"name":"normaliser"' "$SIEM_STATE/alerts.jsonl"; then
    pass $T/alert
else
    fail $T/alert "no alert within 90 s: $(head -c 300 "$SIEM_STATE/query.err"); normaliser: $(siem logs normaliser -n 2 | tr '\n' '|')"
    exit 0
fi

# The condition persists; for another 10 s it raises nothing more.
for i in $(seq 10); do
    logger -n 127.0.0.1 -P "$SIEM_UDP" -d -t app -p user.info -- "still lost $token $i"
    sleep 1
done
siem query --alerts rule.name=siem-normaliser-cannot-publish >"$SIEM_STATE/alerts.jsonl" 2>&1 || true
[ "$(wc -l <"$SIEM_STATE/alerts.jsonl")" = 1 ] && pass $T/not-repeated ||
    fail $T/not-repeated "$(wc -l <"$SIEM_STATE/alerts.jsonl") alerts"
