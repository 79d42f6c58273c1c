#!/usr/bin/env bash
# What Kafka transactions cost the report and command benchmarks: bench/reports-throughput and
# bench/registration-throughput, each run against this checkout's jar (every poller and command write transactional)
# and against a build of commit cbb1b72, the last one before transactions (9169937: "One writer through Kafka"),
# alternating, in the same session on the same machine. No setting turns the transactions off, hence the second build.
#   bench/reliability/transactions-cost.sh [ROUNDS=2] [REPORT_ROWS=1000000]
# The old build is made once with `git archive cbb1b72` into $NOTX_TREE (default /tmp/fb-notx) and `mvn package`.
# Each bench runs from its own tree (its jar, routes and config); their outputs go to target/reliability/transactions-cost/.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-2}
ROWS=${2:-1000000}
BEFORE=cbb1b72
NOTX_TREE=${NOTX_TREE:-/tmp/fb-notx}
OUT=target/reliability/transactions-cost
mkdir -p "$OUT"
[ -f target/flow-bridge.jar ] || mvn -q -B -ntp -DskipTests package
if [ ! -f "$NOTX_TREE/target/flow-bridge.jar" ]; then
  mkdir -p "$NOTX_TREE"
  git archive "$BEFORE" | tar -x -C "$NOTX_TREE"
  (cd "$NOTX_TREE" && mvn -q -B -ntp -DskipTests package)
fi
trees=("transactional:." "before-transactions:$NOTX_TREE")
for round in $(seq 1 "$ROUNDS"); do
  for bench in reports-throughput registration-throughput; do
    for entry in "${trees[@]}"; do
      name=${entry%%:*} tree=${entry#*:}
      log=$OUT/$bench-$name-$round.txt
      echo "== round $round, $bench, $name ($tree), load $(cut -d' ' -f1-3 /proc/loadavg)" | tee "$log"
      args=()
      [[ $bench == reports-throughput ]] && args=("$ROWS")
      (cd "$tree" && "bench/$bench/run.sh" "${args[@]}") 2>&1 | tee -a "$log" | grep -E "^\| [0-9]|^median|ratio" || true
      echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$log"
    done
  done
done
