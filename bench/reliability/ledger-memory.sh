#!/usr/bin/env bash
# The command ledger's memory per instance, with 1 and with 3 instances, for N commandIds (default 1,000,000).
#   bench/reliability/ledger-memory.sh [N]
# N registrations through FLOW would take hours here, so the ledger topic is fed directly (LedgerMemoryBench feed):
# for each commandId the pending and done markers flow-bridge writes, spread over the command topic's partitions. Then:
#   0. one instance on the empty ledger, 10 registrations per command partition: live heap after a full GC (baseline);
#   1. one instance, the N commandIds fed, 10 more registrations per partition (its ledger reads back its partitions);
#   2. three instances sharing the group, 10 more per partition once each holds a partition.
# Live heap is `jcmd <pid> GC.class_histogram` (a full GC, then every live object counted); each instance's log says
# how many commandIds its ledger remembers. Figures in target/reliability/ledger-memory.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000000}
JAR=${JAR:-target/flow-bridge.jar}
XMX=${LEDGER_XMX:--Xmx1g}
BENCH=bench/reliability/LedgerMemoryBench.java
PER_PARTITION=10
PARTITIONS=3
[ -f "$JAR" ] || mvn -q -B -ntp -DskipTests package
WORK=$(mktemp -d /tmp/flow-bridge-ledger.XXXXXX)
OUT=target/reliability/ledger-memory.md
mkdir -p target/reliability
read -r KAFKA_PORT FLOW_PORT SANDBOX_MANAGEMENT < <(java -cp "$JAR" "$BENCH" ports 3)
BOOTSTRAP=127.0.0.1:$KAFKA_PORT
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
await() { # await SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then echo "timed out waiting for $what (logs in $WORK)" >&2; exit 1; fi
    sleep 1
  done
}
figure() { echo "- $*" | tee -a "$OUT"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "== broker and FLOW sandbox (one JVM), logs in $WORK"
SANDBOX_KAFKA_PORT=$KAFKA_PORT SANDBOX_FLOW_PORT=$FLOW_PORT SANDBOX_DATA_DIR=$WORK/sandbox MANAGEMENT_PORT=$SANDBOX_MANAGEMENT \
  java -jar "$JAR" --sandbox-only >"$WORK/sandbox.log" 2>&1 &
PIDS+=($!)
await 120 "the FLOW sandbox" curl -sf "http://127.0.0.1:$FLOW_PORT/sandbox/health"

declare -A BRIDGES
start() { # start NAME
  local ports; read -r -a ports < <(java -cp "$JAR" "$BENCH" ports 2)
  mkdir -p "$WORK/$1"; cp -r routes kamelets config "$WORK/$1/"
  (cd "$WORK/$1" && FLOW_BASE_URL=http://127.0.0.1:$FLOW_PORT/api/v1 FLOW_API_SECRET=sandbox-secret \
    KAFKA_BOOTSTRAP_SERVERS=$BOOTSTRAP FLOW_INSTANCE_ID=$1 MANAGEMENT_PORT=${ports[0]} WEBHOOK_PORT=${ports[1]} \
    exec java $XMX -jar "$OLDPWD/$JAR" >"$WORK/$1.log" 2>&1) &
  BRIDGES[$1]=$!
  PIDS+=($!)
  await 180 "$1 to start" grep -q "Apache Camel .* started" "$WORK/$1.log"
}
stop() { kill "${BRIDGES[$1]}"; wait "${BRIDGES[$1]}" 2>/dev/null || true; }
batches() { grep -c "registration commands: .* read from" "$WORK/$1.log" || true; }
remembered() { grep "registration commands: .* read from" "$WORK/$1.log" | tail -1 | sed 's/.*; \([0-9]*\) commandIds remembered.*/\1/'; }
measure() { # measure NAME LABEL: live heap after a full GC, and the ledger's share of it
  local pid=${BRIDGES[$1]} histogram=$WORK/$1-$2.histogram
  jcmd "$pid" GC.class_histogram >"$histogram"
  local total entries
  total=$(awk '/^Total/ { print $3 }' "$histogram")
  entries=$(awk '/CommandLedger\$Entry$/ { print $2 }' "$histogram")
  jcmd "$pid" GC.heap_info >"$WORK/$1-$2.heap_info"
  echo "$total ${entries:-0}"
}
remembered_at_least() { local n; n=$(remembered "$1"); [ -n "$n" ] && [ "$n" -ge "$2" ]; }
batches_at_least() { [ "$(batches "$1")" -ge "$2" ]; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
send() { java -cp "$JAR" "$BENCH" commands "$BOOTSTRAP" flow.registration.commands $PARTITIONS $PER_PARTITION live-townhall "$1"; }

echo "<!-- ledger-memory.sh $N, jar $JAR, $XMX -->" >>"$OUT"
echo "== 0. one instance, empty ledger"
start solo-empty
send empty
await 300 "the baseline batches" remembered_at_least solo-empty $((PARTITIONS * PER_PARTITION))
sleep 3
read -r BASE _ < <(measure solo-empty empty)
figure "1 instance, empty ledger, $((PARTITIONS * PER_PARTITION)) commands: live heap after full GC $(mib "$BASE") MiB (load $(load))"
stop solo-empty

echo "== feeding $N commandIds to the ledger topic"
java -cp "$JAR" "$BENCH" feed "$BOOTSTRAP" flow-bridge.commands flow.registration.commands flow.registration.results $PARTITIONS "$N" \
  | tee "$WORK/feed.log"

echo "== 1. one instance"
start solo
send solo
await 900 "the ledger read back" remembered_at_least solo "$N"
grep "read back" "$WORK/solo.log" | sed 's/^.*INFO *//' | tee -a "$WORK/readback.log"
sleep 3
read -r SOLO SOLO_ENTRIES < <(measure solo full)
figure "1 instance, $N commandIds fed: remembers $(remembered solo); live heap after full GC $(mib "$SOLO") MiB, $SOLO_ENTRIES CommandLedger\$Entry; $(awk -v a="$SOLO" -v b="$BASE" -v n="$(remembered solo)" 'BEGIN { printf "%.0f", (a - b) / n }') bytes per commandId over the empty ledger's $(mib "$BASE") MiB (load $(load))"
stop solo

echo "== 2. three instances"
for name in trio-a trio-b trio-c; do start $name; done
java -cp "$JAR" "$BENCH" group "$BOOTSTRAP" flow-bridge-commands flow.registration.commands 3 | tee -a "$WORK/group.log"
send trio
for name in trio-a trio-b trio-c; do
  await 900 "$name's batch" batches_at_least $name 1
done
sleep 5
for name in trio-a trio-b trio-c; do
  read -r LIVE ENTRIES < <(measure $name full)
  figure "3 instances, $name ($(grep -q 'is now the active poller' "$WORK/$name.log" && echo 'the active poller' || echo 'standby')): command partition(s) read back: $(grep 'read back' "$WORK/$name.log" | sed 's/.*partition \([0-9]*\) from.*/\1/' | sort -u | tr '\n' ' '); remembers $(remembered $name) commandIds; live heap after full GC $(mib "$LIVE") MiB, $ENTRIES CommandLedger\$Entry; $(mib $((LIVE - BASE))) MiB over the empty ledger (load $(load))"
done
grep -h "read back" "$WORK"/trio-*.log | sed 's/^.*INFO *//' | tee -a "$WORK/readback.log"
for name in trio-a trio-b trio-c; do stop $name; done
echo "Logs and histograms in $WORK; figures in $OUT"
