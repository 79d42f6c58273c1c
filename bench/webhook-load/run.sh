#!/usr/bin/env bash
# Webhook under load: signed registration commands POSTed to flow-bridge's POST /webhooks/registrations as fast as
# this machine lets it take them (the number of connections found by a ramp), for DURATION seconds; then proof that
# every command answered 202 reached FLOW exactly once and has exactly one outcome on flow.registration.results.
# Baseline in the same run: the same requests unsigned, which the same server refuses (401) without touching Kafka.
#
#   bench/webhook-load/run.sh              (from anywhere; builds target/flow-bridge.jar only if it is missing)
#
# Settings (environment): DURATION (60 s), MAX_CONCURRENCY (64, the ramp's last step), HEAP (512m, flow-bridge's -Xmx),
# BRIDGE_JAVA_OPTS (more JVM options for flow-bridge, e.g. a JFR recording), SCHEME (x-signature-256, or
# standard-webhooks: every request signed with a timestamp and its own webhook-id, as a Standard Webhooks sender does).
# flow-bridge runs as its own process against the sandbox (Kafka's broker and the FLOW sandbox in a second JVM), with
# FLOW's rate limit lifted (FLOW_API_RATE_LIMIT=100000: at the default 10/s, FLOW, not the webhook, is what would be
# measured), the webhook's rate per key lifted (WEBHOOK_RATE_LIMIT=0: one key sends everything here, far over the
# default 100/s) and polling off (FLOW_POLL_INITIAL_DELAY=1h: the sessions would otherwise fill with load registrants
# that every poll reads back). The load generator is a third JVM. Logs stay in the work dir printed first.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION=${DURATION:-60}
MAX_CONCURRENCY=${MAX_CONCURRENCY:-64}
export HEAP=${HEAP:-512m}
SCHEME=${SCHEME:-x-signature-256}
if [ "$SCHEME" = standard-webhooks ]; then
  SECRET=whsec_ZmFrZS13ZWJob29rLWxvYWQtc3RhbmRhcmQtc2VjcmV0   # base64 of fake-webhook-load-standard-secret
  SECRET_VARIABLE=WEBHOOK_STANDARD_SECRET
else
  SECRET=webhook-load-secret
  SECRET_VARIABLE=WEBHOOK_SECRET
fi

[ -f target/flow-bridge.jar ] || mvn -q -o -DskipTests package
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

work=$(mktemp -d /tmp/flow-bridge-webhook-load.XXXXXX)
sandbox_pid=""
bridge_pid=""
cleanup() {
  [ -n "$bridge_pid" ] && kill "$bridge_pid" 2>/dev/null && wait "$bridge_pid" 2>/dev/null || true
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null || true
  rm -rf "$work/data"   # the broker's data; the logs stay
}
trap cleanup EXIT
echo "work dir: $work; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

kafka_port=$(free_port); flow_port=$(free_port); webhook_port=$(free_port); management_port=$(free_port)
flow="http://127.0.0.1:$flow_port"

# 1. Kafka's broker and the FLOW sandbox, in one JVM.
SANDBOX_KAFKA_PORT=$kafka_port SANDBOX_FLOW_PORT=$flow_port SANDBOX_DATA_DIR="$work/data" \
  MANAGEMENT_PORT=$(free_port) WEBHOOK_PORT=$(free_port) \
  java -jar target/flow-bridge.jar --sandbox-only > "$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 120); do curl -sf "$flow/sandbox/sessions" > /dev/null && break; sleep 0.5; done

# 2. flow-bridge, the packaged jar as its own process, with a GC log for its heap figures.
env "$SECRET_VARIABLE=$SECRET" FLOW_BASE_URL=$flow/api/v1 FLOW_API_SECRET=sandbox-secret KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$kafka_port \
  FLOW_API_RATE_LIMIT=100000 FLOW_POLL_INITIAL_DELAY=1h WEBHOOK_RATE_LIMIT=0 WEBHOOK_PORT=$webhook_port \
  MANAGEMENT_PORT=$management_port FLOW_POLLER_LOCK_DIR="$work/locks" \
  java -Xmx"$HEAP" -Xlog:gc:file="$work/gc.log" ${BRIDGE_JAVA_OPTS:-} -jar target/flow-bridge.jar > "$work/bridge.log" 2>&1 &
bridge_pid=$!
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$management_port/observe/health" > /dev/null && break; sleep 0.5; done

# Live heap after a full collection (jcmd GC.run; the GC log's last "Pause Full" line), before and after the load:
# what stays in memory per command (the command ledger remembers every commandId for COMMANDS_IDEMPOTENCY_WINDOW).
live_heap_mib() {
  jcmd "$bridge_pid" GC.run > /dev/null
  sleep 1
  grep 'Pause Full' "$work/gc.log" | tail -1 | grep -oE '[0-9]+M->[0-9]+M' | cut -d'>' -f2 | tr -d M
}
commands_answered() {
  curl -s "http://127.0.0.1:$management_port/observe/metrics" \
    | awk '/^flowbridge_command_latency_seconds_count/ { n += $2 } END { printf "%d", n }'
}
live_before=$(live_heap_mib)

# 3. The load, and the proof.
status=0
java -cp target/flow-bridge.jar bench/webhook-load/WebhookLoad.java "$webhook_port" "$SECRET" "127.0.0.1:$kafka_port" "$flow" \
  "$DURATION" "$MAX_CONCURRENCY" "$SCHEME" || status=$?

# 4. flow-bridge afterwards: still healthy? its heap (from the GC log), and errors it logged.
echo "flow-bridge health after the run: HTTP $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$management_port/observe/health")"
grep -oE '[0-9]+M->[0-9]+M\([0-9]+M\)' "$work/gc.log" | tr -c '0-9\n' ' ' \
  | awk '{ n++; if ($1 > used) used = $1; if ($2 > live) live = $2; max = $3 }
         END { printf "flow-bridge heap (-Xmx%s): peak %d MiB used before a collection, %d MiB live after one, %d collections\n", ENVIRON["HEAP"], used, live, n }' 
live_after=$(live_heap_mib)
commands=$(commands_answered)
echo "flow-bridge live heap after a full GC: $live_before MiB before the load, $live_after MiB after $commands commands" \
  "($(( (live_after - live_before) * 1048576 / (commands > 0 ? commands : 1) )) bytes per command remembered)"
echo "flow-bridge log lines at WARN or ERROR: $(grep -c -E ' (WARN|ERROR) ' "$work/bridge.log" || true)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $status
