#!/usr/bin/env bash
# Registrants poll at scale: SESSIONS sessions x PER_SESSION registrants in the FLOW sandbox, flow-bridge at -Xmx512m.
# Measures the first cycle (every registrant read: r), a cycle in which nothing changed (must publish 0) and a cycle
# after CHANGED registrants changed, against baselines measured in the same run: the same GETs with the JDK's HTTP
# client at the same concurrency, doing nothing with the answers; and the published records sent again by a plain
# KafkaProducer.
#
#   bench/registrants-poll/run.sh            (from anywhere; builds target/flow-bridge.jar only if it is missing)
#
# Settings (environment): SESSIONS (2000), PER_SESSION (100), CHANGED (50), CONCURRENCY (4, flow.poll.concurrency),
# RATE_LIMIT (5000 requests/s, flow.api.rate-limit: high enough not to be what is measured), HEAP (512m),
# INTERVAL (30s, FLOW_REGISTRANTS_POLL_INTERVAL). The sessions route polls every 10 minutes here (FLOW_POLL_INTERVAL), so
# that after its first cycle the registrants cycles measured run alone.
set -euo pipefail
cd "$(dirname "$0")/../.."

SESSIONS=${SESSIONS:-2000}
PER_SESSION=${PER_SESSION:-100}
CHANGED=${CHANGED:-50}
CONCURRENCY=${CONCURRENCY:-4}
RATE_LIMIT=${RATE_LIMIT:-5000}
HEAP=${HEAP:-512m}
INTERVAL=${INTERVAL:-30s}

[ -f target/flow-bridge.jar ] || mvn -q -o -DskipTests package
tool() { java -cp target/flow-bridge.jar bench/registrants-poll/BenchTool.java "$@"; }

work=$(mktemp -d /tmp/flow-bridge-bench.XXXXXX)
sandbox_pid=""
bridge_pid=""
cleanup() {
  [ -n "$bridge_pid" ] && kill "$bridge_pid" 2>/dev/null && wait "$bridge_pid" 2>/dev/null || true
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null || true
  rm -rf "$work/data"   # the broker's data; the logs stay
}
trap cleanup EXIT

kafka_port=$(tool free-port); flow_port=$(tool free-port)
flow="http://127.0.0.1:$flow_port"
echo "work dir: $work"

# 1. The sandbox (embedded Kafka broker + FLOW sandbox) in its own JVM.
SANDBOX_KAFKA_PORT=$kafka_port SANDBOX_FLOW_PORT=$flow_port SANDBOX_DATA_DIR="$work/data" \
  MANAGEMENT_PORT=$(tool free-port) WEBHOOK_PORT=$(tool free-port) \
  java -jar target/flow-bridge.jar --sandbox-only > "$work/sandbox.log" 2>&1 &
sandbox_pid=$!
for _ in $(seq 120); do curl -sf "$flow/sandbox/sessions" > /dev/null && break; sleep 0.5; done

# 2. The data: only generated sessions, all future (so all are polled), gen-00001 ... with PER_SESSION registrants each.
for token in future-roadmap-1 future-roadmap-2 live-townhall past-onboarding past-security; do
  curl -sf -X DELETE "$flow/sandbox/sessions/$token" > /dev/null
done
curl -sf -X POST "$flow/sandbox/generate" \
  -d "{\"sessions\":$SESSIONS,\"registrantsPerSession\":$PER_SESSION,\"accessStatus\":1}" > /dev/null

# 3. Baseline: the same GETs, plain JDK HTTP client, same concurrency, 3 rounds in one JVM (the first one cold).
#    Measured again between cycles 2 and 3, as other work on the machine changes what a second costs.
best_get() { tool baseline "$flow/api/v1" sandbox-secret "$SESSIONS" "$CONCURRENCY" | tee -a "$work/baseline.txt" \
  | tail -2 | sed -E 's/round [0-9]: ([0-9]+) ms.*/\1/' | sort -n | head -1; }
echo "baseline ($SESSIONS GETs, concurrency $CONCURRENCY), before flow-bridge starts:"
get_before=$(best_get)

# 4. flow-bridge, its own JVM, capped heap, GC log with wall-clock times.
FLOW_BASE_URL="$flow/api/v1" FLOW_API_SECRET=sandbox-secret KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$kafka_port" \
  FLOW_POLL_INTERVAL=10m FLOW_REGISTRANTS_POLL_INTERVAL=$INTERVAL FLOW_POLL_CONCURRENCY=$CONCURRENCY \
  FLOW_API_RATE_LIMIT=$RATE_LIMIT MANAGEMENT_PORT=$(tool free-port) WEBHOOK_PORT=$(tool free-port) \
  java -Xmx$HEAP -Xlog:gc:file="$work/gc.log":time -jar target/flow-bridge.jar > "$work/bridge.log" 2>&1 &
bridge_pid=$!

# The n-th registrants cycle that polled every session (cycles waiting for the first sessions cycle do not count).
cycle_line() { grep -s "registrants read from FLOW ($SESSIONS sessions" "$work/bridge.log" | sed -n "${1}p"; }
await_cycle() {
  for _ in $(seq 600); do
    [ -n "$(cycle_line "$1")" ] && return 0
    kill -0 "$bridge_pid" 2>/dev/null || { echo "flow-bridge stopped:"; tail -30 "$work/bridge.log"; exit 1; }
    sleep 1
  done
  echo "cycle $1 did not complete"; tail -30 "$work/bridge.log"; exit 1
}

await_cycle 1
await_cycle 2
echo "baseline again, between cycles 2 and 3:"
get_between=$(best_get)
# Between cycle 2 and 3: change CHANGED registrants, one in each of the first CHANGED sessions.
for n in $(seq "$CHANGED"); do
  token=$(printf "gen-%05d" "$n")
  curl -sf -X PATCH "$flow/sandbox/sessions/$token/registrants/attendee1.$token@example.test" -d '{"company":"Changed"}' > /dev/null
done
await_cycle 3

# What a full GC leaves: the state flow-bridge keeps in memory for SESSIONS x PER_SESSION registrants.
jcmd "$bridge_pid" GC.run > /dev/null
sleep 1
retained=$(grep "Pause Full" "$work/gc.log" | tail -1 | sed -E 's/.*->([0-9]+M).*/\1/')
kill "$bridge_pid"; wait "$bridge_pid" 2>/dev/null || true; bridge_pid=""

# Second baseline: publishing the same records with a plain producer (flow-bridge stopped, nothing else running).
echo "baseline (the records on flow.registrants, republished by a plain KafkaProducer, acks=all, idempotent):"
produce=$(tool produce "127.0.0.1:$kafka_port" bench.republished flow.registrants | tee -a "$work/baseline.txt" \
  | sed -E 's/.* in ([0-9]+) ms/\1/')
cat "$work/baseline.txt"

echo
echo "flow.registrants by op: $(tool count "127.0.0.1:$kafka_port" flow.registrants)"
echo
printf '| cycle | flow-bridge summary line | ms | baseline ms | ratio | heap (GC log) |\n| --- | --- | --- | --- | --- | --- |\n'
for n in 1 2 3; do
  line=$(cycle_line "$n")
  ended=$(echo "$line" | cut -c1-12)
  ms=$(echo "$line" | sed -E 's/.*, ([0-9]+) ms$/\1/')
  # Cycle 1 reads and publishes everything: its baseline is reading (GETs) plus publishing (plain producer).
  if [ "$n" = 1 ]; then base=$((get_before + produce)); else base=$get_between; fi
  summary=$(echo "${line#*registrants cycle: }" | sed -E 's/, [0-9]+ ms$//')
  echo "| $n | $summary | $ms | $base | $(awk "BEGIN{printf \"%.1f\", $ms/$base}") | $(tool heap "$work/gc.log" "$ended" "$ms") |"
done
echo
echo "heap retained after a full GC (all state in memory): $retained of $HEAP; full GCs before that: $(grep -c 'Pause Full (G1 Compaction' "$work/gc.log" || true)"
echo "logs: $work"
