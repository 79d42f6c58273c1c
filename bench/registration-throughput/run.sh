#!/usr/bin/env bash
# Registration throughput: flow-bridge (commands on Kafka -> FLOW -> outcomes on Kafka) against a plain HTTP load
# generator posting straight to the same FLOW sandbox, in the same run, both at the same concurrency, with the
# sandbox answering each POST /registrants after 20 ms.
# Usage: bench/registration-throughput/run.sh [commands=5000] [concurrency=16] [warm-up commands=2000] [rounds=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
COMMANDS=${1:-5000}
CONCURRENCY=${2:-16}
WARM_UP=${3:-2000}
ROUNDS=${4:-3}
JAR=target/flow-bridge.jar
[ -f "$JAR" ] || mvn -q -o -DskipTests package

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
KAFKA_PORT=$(free_port); FLOW_PORT=$(free_port)
WORK=$(mktemp -d)
trap 'kill $BRIDGE $SANDBOX 2>/dev/null || true; wait 2>/dev/null || true; cp "$WORK/bridge.log" "${BENCH_LOG:-/dev/null}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

# 1. The FLOW sandbox and Kafka's own broker, in one JVM.
SANDBOX_KAFKA_PORT=$KAFKA_PORT SANDBOX_FLOW_PORT=$FLOW_PORT SANDBOX_DATA_DIR=$WORK/data MANAGEMENT_PORT=$(free_port) \
  WEBHOOK_PORT=$(free_port) java -jar "$JAR" --sandbox-only > "$WORK/sandbox.log" 2>&1 &
SANDBOX=$!
until curl -sf "http://127.0.0.1:$FLOW_PORT/sandbox/faults" > /dev/null; do sleep 1; done
curl -sf -X POST "http://127.0.0.1:$FLOW_PORT/sandbox/latency" -d '{"method":"POST","path":"/registrants","ms":20}' > /dev/null

# 2. flow-bridge as its own process, FLOW's rate limit lifted (the baseline has none), commands at the given concurrency.
FLOW_BASE_URL=http://127.0.0.1:$FLOW_PORT/api/v1 FLOW_API_SECRET=sandbox-secret KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$KAFKA_PORT \
  FLOW_API_RATE_LIMIT=100000 COMMANDS_CONCURRENCY=$CONCURRENCY MANAGEMENT_PORT=$(free_port) WEBHOOK_PORT=$(free_port) \
  WEBHOOK_SECRET=bench java ${BRIDGE_JAVA_OPTS:-} -jar "$JAR" > "$WORK/bridge.log" 2>&1 &
BRIDGE=$!

# 3. Warm-up, then rounds of the baseline and of commands -> outcomes, from a third JVM.
java -cp "$JAR" bench/registration-throughput/RegistrationBench.java "127.0.0.1:$KAFKA_PORT" \
  "http://127.0.0.1:$FLOW_PORT/api/v1" sandbox-secret "$COMMANDS" "$CONCURRENCY" "$WARM_UP" "$ROUNDS"
grep -a "registration commands:" "$WORK/bridge.log" | tail -n ${SHOW_BATCHES:-3} || true
