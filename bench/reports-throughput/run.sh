#!/usr/bin/env bash
# Reports throughput benchmark (see README.md beside this file). From the repository root:
#   bench/reports-throughput/run.sh [ROWS]        (ROWS defaults to 1000000)
# 1. Kafka's broker and the FLOW sandbox start in one JVM (--sandbox-only), on free ports, data in a temp folder.
# 2. past-security's registrants report becomes a generated report of ROWS rows (streamed by the sandbox).
# 3. flow-bridge runs as its own process with -Xmx256m; its heap is sampled with jstat until the report's manifest.
# 4. The rows on flow.reports.registrants are measured: records/s from the first record's timestamp to the last's.
# 5. Baselines, same broker, same run: a plain Kafka producer sends the same records (keys, values, headers) with
#    the same producer settings to a new topic with as many partitions, measured the same way; then kcat produces the
#    same keys and values (with the rows' constant headers: kcat cannot give each record its own) the same way.
set -euo pipefail
cd "$(dirname "$0")/../.."

ROWS=${1:-1000000}
JAR=target/flow-bridge.jar
BENCH=bench/reports-throughput/ReportsBench.java
REPORT=past-security:registrants
[ -f "$JAR" ] || mvn -q -B -DskipTests package

# The producer settings of flow-bridge's report records (environment variables override them for both sides).
setting() { sed -n "s/^$1 *= *//p" config/application.properties; }
export FLOW_REPORTS_KAFKA_LINGER_MS=${FLOW_REPORTS_KAFKA_LINGER_MS:-$(setting flow.reports.kafka.linger-ms)}
export FLOW_REPORTS_KAFKA_BATCH_BYTES=${FLOW_REPORTS_KAFKA_BATCH_BYTES:-$(setting flow.reports.kafka.batch-bytes)}
export FLOW_REPORTS_KAFKA_COMPRESSION=${FLOW_REPORTS_KAFKA_COMPRESSION:-$(setting flow.reports.kafka.compression)}
LINGER_MS=$FLOW_REPORTS_KAFKA_LINGER_MS
BATCH_BYTES=$FLOW_REPORTS_KAFKA_BATCH_BYTES
COMPRESSION=$FLOW_REPORTS_KAFKA_COMPRESSION

WORK=$(mktemp -d /tmp/flow-bridge-bench.XXXXXX)
read -r KAFKA_PORT FLOW_PORT SANDBOX_MANAGEMENT_PORT BRIDGE_MANAGEMENT_PORT BRIDGE_WEBHOOK_PORT < <(java -cp "$JAR" "$BENCH" ports 5)
BOOTSTRAP=127.0.0.1:$KAFKA_PORT
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

await() { # await SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what=$2
  shift 2
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then echo "timed out waiting for $what (logs in $WORK)" >&2; exit 1; fi
    sleep 0.5
  done
}

echo "== broker and FLOW sandbox (one JVM), logs and data in $WORK"
SANDBOX_KAFKA_PORT=$KAFKA_PORT SANDBOX_FLOW_PORT=$FLOW_PORT SANDBOX_DATA_DIR=$WORK/sandbox MANAGEMENT_PORT=$SANDBOX_MANAGEMENT_PORT \
  java -jar "$JAR" --sandbox-only >"$WORK/sandbox.log" 2>&1 &
PIDS+=($!)
await 120 "the FLOW sandbox" curl -sf "http://127.0.0.1:$FLOW_PORT/sandbox/health"
curl -sf -X POST "http://127.0.0.1:$FLOW_PORT/sandbox/sessions/past-security/reports/registrants/generate" -d "{\"rows\": $ROWS}" >/dev/null

echo "== flow-bridge (-Xmx256m) publishing a $ROWS-row registrants report"
FLOW_BASE_URL=http://127.0.0.1:$FLOW_PORT/api/v1 FLOW_API_SECRET=sandbox-secret KAFKA_BOOTSTRAP_SERVERS=$BOOTSTRAP \
FLOW_POLL_INTERVAL=5s FLOW_REPORTS_POLL_INTERVAL=1s FLOW_REPORTS_INITIAL_DELAY=0s \
MANAGEMENT_PORT=$BRIDGE_MANAGEMENT_PORT WEBHOOK_PORT=$BRIDGE_WEBHOOK_PORT \
  java -Xmx256m ${BRIDGE_JAVA_OPTS:-} -jar "$JAR" >"$WORK/flow-bridge.log" 2>&1 &
BRIDGE=$!
PIDS+=($BRIDGE)
await 60 "flow-bridge to start" grep -q "Apache Camel .* started" "$WORK/flow-bridge.log"
# CPU seconds (user + system, all threads) a process has used: a figure the machine's other load moves little.
cpu_ms() { awk -v tck="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($12 + $13) * 1000 / tck }' "/proc/$1/stat"; }
BRIDGE_CPU_START=$(cpu_ms "$BRIDGE")
jstat -gc "$BRIDGE" 250 >"$WORK/jstat.log" 2>&1 &
PIDS+=($!)
await 1200 "the report's completed manifest" grep -q "report $REPORT published" "$WORK/flow-bridge.log"
BRIDGE_CPU_MS=$(awk -v a="$(cpu_ms "$BRIDGE")" -v b="$BRIDGE_CPU_START" 'BEGIN { printf "%.0f", a - b }')
grep "report $REPORT published" "$WORK/flow-bridge.log" | sed 's/^.*report /  flow-bridge log: report /'
# Peak heap: the largest used heap (survivor + eden + old, KB) jstat saw.
PEAK_HEAP_MB=$(awk 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
  $1 ~ /^[0-9.]+$/ { used = $col["S0U"] + $col["S1U"] + $col["EU"] + $col["OU"]; if (used > peak) peak = used }
  END { printf "%.0f", peak / 1024 }' "$WORK/jstat.log")
GCS=$(awk 'NR > 1 && $1 ~ /^[0-9.]+$/ { last = $0 } END { split(last, f); print "young " f[13] ", full " f[15] }' "$WORK/jstat.log")
kill "$BRIDGE"
wait "$BRIDGE" 2>/dev/null || true

echo "== measuring"
BRIDGE_LINE=$(java -cp "$JAR" "$BENCH" measure "$BOOTSTRAP" flow.reports.registrants "$REPORT:")
echo "$BRIDGE_LINE"
java -Xmx4g -cp "$JAR" "$BENCH" baseline "$BOOTSTRAP" flow.reports.registrants "$REPORT:" bench.baseline.registrants \
  "$LINGER_MS" "$BATCH_BYTES" "$COMPRESSION" | tee "$WORK/baseline.txt"
BASELINE_LINE=$(tail -1 "$WORK/baseline.txt")

echo "== kcat: the same keys and values, the rows' constant headers"
java -cp "$JAR" "$BENCH" export "$BOOTSTRAP" flow.reports.registrants "$REPORT:" "$WORK/rows.tsv"
java -cp "$JAR" "$BENCH" topic "$BOOTSTRAP" flow.reports.registrants bench.kcat.registrants >/dev/null
SOURCE_URL=http://127.0.0.1:$FLOW_PORT/api/v1/reports/events/sessions/registrants/csv/past-security
KCAT_STARTED=$(date +%s%N)
TIMEFORMAT='%U %S'
{ time kcat -P -b "$BOOTSTRAP" -t bench.kcat.registrants -K '\t' -l -z "$COMPRESSION" -X acks=all -X enable.idempotence=true \
  -X linger.ms="$LINGER_MS" -X batch.size="$BATCH_BYTES" -X partitioner=murmur2_random \
  -H ce_specversion=1.0 -H ce_type=flow.report.row -H "ce_source=$SOURCE_URL" -H content-type=application/json \
  "$WORK/rows.tsv" ; } 2>"$WORK/kcat-time.txt"
KCAT_CPU_MS=$(awk '{ printf "%.0f", ($1 + $2) * 1000 }' "$WORK/kcat-time.txt")
echo "kcat: sent and acknowledged in $(( ($(date +%s%N) - KCAT_STARTED) / 1000000 )) ms"
KCAT_LINE=$(java -cp "$JAR" "$BENCH" measure "$BOOTSTRAP" bench.kcat.registrants "" | sed 's/^flow-bridge:/kcat:/')
echo "$KCAT_LINE"

rate() { sed -n 's/.* \([0-9]*\) records\/s$/\1/p' <<<"$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
BRIDGE_RATE=$(rate "$BRIDGE_LINE")
BASELINE_RATE=$(rate "$BASELINE_LINE")
KCAT_RATE=$(rate "$KCAT_LINE")
echo
echo "| rows | flow-bridge records/s | plain producer records/s | kcat records/s | ratio to plain producer | ratio to kcat | flow-bridge peak heap (-Xmx256m) | GCs |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
echo "| $ROWS | $BRIDGE_RATE | $BASELINE_RATE | $KCAT_RATE | $(ratio "$BRIDGE_RATE" "$BASELINE_RATE") | $(ratio "$BRIDGE_RATE" "$KCAT_RATE") | ${PEAK_HEAP_MB} MB | $GCS |"
echo "(producer settings: linger.ms=$LINGER_MS batch.size=$BATCH_BYTES compression=$COMPRESSION acks=all idempotence)"
BASELINE_CPU_MS=$(sed -n 's/^baseline: sending used \([0-9]*\) ms of CPU.*/\1/p' "$WORK/baseline.txt")
per_k() { awk -v ms="$1" -v n="$ROWS" 'BEGIN { printf "%.1f", ms * 1000 / n }'; }
echo "CPU ms per 1,000 records: flow-bridge $(per_k "$BRIDGE_CPU_MS") (its whole process from Camel started to the completed manifest:" \
  "polls, small reports and the JIT included; not the sandbox's CSV), plain producer $(per_k "$BASELINE_CPU_MS") (its sending only)," \
  "kcat $(per_k "$KCAT_CPU_MS")"
