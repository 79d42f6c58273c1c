#!/usr/bin/env bash
# FLOW's quota found, not guessed: flow-bridge with its default FLOW settings (no FLOW_API_RATE_LIMIT, no
# FLOW_API_RATE_*), against the FLOW sandbox, three ways:
#
#   bench/flow-quota/run.sh defaults        2,000 registration commands, FLOW answering each POST in 20 ms and never
#                                           refusing, against wrk posting to the same FLOW at concurrency 16: once
#                                           right after start (cold), then ROUNDS rounds alternating with wrk
#   bench/flow-quota/run.sh quota           1,000 commands while FLOW allows only 40 requests/s (429 + Retry-After: 1)
#   bench/flow-quota/run.sh commands-first  ?wait=true registrations while a 2,000-session registrants cycle runs,
#                                           FLOW allowing 40 requests/s, against the same with nothing else running
#   bench/flow-quota/run.sh                 all three
#   bench/flow-quota/run.sh door            (not one of the three) the FLOW door alone, direct:flow-api with the budget
#                                           at its defaults, against a plain HTTP client, one JVM (FlowDoorBench.java)
#
# Each scenario starts its own sandbox JVM (Kafka's broker + the FLOW sandbox, --sandbox-only) and its own
# flow-bridge process on free ports; the client is FlowQuotaBench.java in a third JVM (and wrk for the baseline).
# Settings (environment): ROUNDS (3, defaults), COMMANDS (2000 defaults / 1000 quota), LIMIT (40), SESSIONS (2000),
# WAITS (120 registrations at most), WAIT_INTERVAL_MS (400). Logs stay in the work dir printed first.
set -euo pipefail
cd "$(dirname "$0")/../.."

SCENARIOS=${1:-all}
ROUNDS=${ROUNDS:-3}
LIMIT=${LIMIT:-40}
SESSIONS=${SESSIONS:-2000}
WAITS=${WAITS:-120}
WAIT_INTERVAL_MS=${WAIT_INTERVAL_MS:-400}
SECRET=flow-quota-bench-secret

[ -f target/flow-bridge.jar ] || mvn -q -o -DskipTests package
command -v wrk > /dev/null || { echo "wrk is needed for the baseline: apt-get install -y wrk"; exit 2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
bench() { java -cp target/flow-bridge.jar bench/flow-quota/FlowQuotaBench.java "$@"; }

work=$(mktemp -d /tmp/flow-bridge-flow-quota.XXXXXX)
sandbox_pid=""
bridge_pid=""
stop_all() {
  [ -n "$bridge_pid" ] && kill "$bridge_pid" 2>/dev/null && wait "$bridge_pid" 2>/dev/null || true
  [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null || true
  bridge_pid=""; sandbox_pid=""
  rm -rf "$work/data"
}
trap stop_all EXIT
echo "work dir: $work; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"

# The sandbox (Kafka's broker + FLOW) in one JVM, then flow-bridge with default FLOW settings in another.
start_sandbox() {
  kafka_port=$(free_port); flow_port=$(free_port); webhook_port=$(free_port); management_port=$(free_port)
  flow="http://127.0.0.1:$flow_port"
  SANDBOX_KAFKA_PORT=$kafka_port SANDBOX_FLOW_PORT=$flow_port SANDBOX_DATA_DIR="$work/data" \
    MANAGEMENT_PORT=$(free_port) WEBHOOK_PORT=$(free_port) \
    java -jar target/flow-bridge.jar --sandbox-only > "$work/sandbox-$1.log" 2>&1 &
  sandbox_pid=$!
  for _ in $(seq 120); do curl -sf "$flow/sandbox/health" > /dev/null && break; sleep 0.5; done
}
start_bridge() {
  local name=$1; shift
  env FLOW_BASE_URL="$flow/api/v1" FLOW_API_SECRET=sandbox-secret KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$kafka_port" \
    WEBHOOK_SECRET=$SECRET WEBHOOK_PORT="$webhook_port" MANAGEMENT_PORT="$management_port" \
    FLOW_POLLER_LOCK_DIR="$work/locks-$name" "$@" \
    java -jar target/flow-bridge.jar > "$work/bridge-$name.log" 2>&1 &
  bridge_pid=$!
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$management_port/observe/health" > /dev/null && break; sleep 0.5; done
  # The command consumers have joined their group once the first outcome of a warm-up-free probe could be read;
  # waiting for the registration route to be started is enough here.
  sleep 3
}
budget_line() {
  local metrics; metrics=$(curl -s "http://127.0.0.1:$management_port/observe/metrics")
  echo "$metrics" | awk '
    $1 ~ /^flowbridge_flow_rate_limit(\{|$)/ { rate = $2 }
    $1 ~ /^flowbridge_flow_rate_learned(\{|$)/ { learned = $2 }
    $1 ~ /^flowbridge_flow_concurrency_limit(\{|$)/ { concurrency = $2 }
    $1 ~ /^flowbridge_flow_refused_total/ { refused += $2 }
    $1 ~ /^flowbridge_flow_rate_limit_wait_seconds_count/ { split($1, p, "priority=\""); split(p[2], q, "\""); n[q[1]] += $2 }
    $1 ~ /^flowbridge_flow_rate_limit_wait_seconds_sum/ { split($1, p, "priority=\""); split(p[2], q, "\""); t[q[1]] += $2 }
    END {
      printf "flow-bridge budget: rate limit %s/s, learned %s/s, concurrency limit %s, refused by FLOW %d; mean wait for a turn:", rate, learned, concurrency, refused
      for (k in n) printf " %s %.0f ms (%d)", k, 1000 * t[k] / n[k], n[k]
      printf "\n"
    }'
}

defaults() {
  local commands=${COMMANDS:-2000}
  echo; echo "== defaults: $commands registration commands, FLOW answering each POST /registrants in 20 ms, never refusing"
  start_sandbox defaults
  curl -sf -X POST "$flow/sandbox/latency" -d '{"method":"POST","path":"/registrants","ms":20}' > /dev/null
  start_bridge defaults
  local duration=$(awk "BEGIN{printf \"%.0f\", $commands / 700 + 1}")
  # The first commands after start: the JIT compiles the code and the rate is found from flow.api.rate-initial.
  echo "cold (the first $commands after start) $(bench commands "127.0.0.1:$kafka_port" "$flow" "$commands" future-roadmap-2 | tr '\n' ' ')"
  budget_line
  for round in $(seq "$ROUNDS"); do
    # Baseline: wrk, 16 connections (keep-alive), 2 threads, distinct registrations, for about as long as the commands take.
    wrk -t2 -c16 -d"${duration}s" -s bench/flow-quota/wrk-registrations.lua "$flow/api/v1/registrants" -- "r$round" sandbox-secret \
      > "$work/wrk-$round.txt"
    echo "round $round baseline: wrk -t2 -c16 -d${duration}s: $(grep -E '^Requests/sec' "$work/wrk-$round.txt" | awk '{print $2}') requests/s" \
      "($(grep -E 'requests in' "$work/wrk-$round.txt" | xargs), non-2xx: $(grep -E 'Non-2xx' "$work/wrk-$round.txt" | awk '{print $NF}' || echo 0))"
    echo "round $round $(bench commands "127.0.0.1:$kafka_port" "$flow" "$commands" future-roadmap-1 | tr '\n' ' ')"
    budget_line
  done
  stop_all
}

quota() {
  local commands=${COMMANDS:-1000}
  echo; echo "== quota: $commands registration commands while FLOW allows $LIMIT requests/s (429 + Retry-After: 1 beyond)"
  start_sandbox quota
  curl -sf -X POST "$flow/sandbox/rate-limit" -d "{\"requestsPerSecond\":$LIMIT,\"retryAfter\":\"1\"}" > /dev/null
  start_bridge quota
  bench commands "127.0.0.1:$kafka_port" "$flow" "$commands" future-roadmap-1
  budget_line
  echo "FLOW since the sandbox started: $(curl -s "$flow/sandbox/rate-limit")"
  grep -a "pushed back" "$work/bridge-quota.log" | sed 's/^/  log: /' || true
  stop_all
}

commands_first() {
  echo; echo "== commands-first: ?wait=true registrations while a $SESSIONS-session registrants cycle runs, FLOW allowing $LIMIT requests/s"
  start_sandbox commands-first
  for token in future-roadmap-1 future-roadmap-2 live-townhall past-onboarding past-security; do
    curl -sf -X DELETE "$flow/sandbox/sessions/$token" > /dev/null
  done
  curl -sf -X POST "$flow/sandbox/generate" -d "{\"sessions\":$SESSIONS,\"registrantsPerSession\":5,\"accessStatus\":1}" > /dev/null
  curl -sf -X POST "$flow/sandbox/rate-limit" -d "{\"requestsPerSecond\":$LIMIT,\"retryAfter\":\"1\"}" > /dev/null
  # One sessions cycle (3 lists + an event info per new session, about a minute), then a registrants cycle (its timer's
  # first tick finds the sessions cycle still running and waits for the next one, 2 minutes in); then nothing else
  # for at least a minute, while the baseline is measured.
  start_bridge commands-first FLOW_POLL_INTERVAL=10m FLOW_REGISTRANTS_POLL_INTERVAL=2m
  echo "during the registrants cycle:"
  bench waits "$webhook_port" "$SECRET" "$flow" gen-00001 "$WAITS" "$WAIT_INTERVAL_MS" during-registrants "$SESSIONS"
  budget_line
  local cycle_done="registrants cycle: [0-9]+ registrants read from FLOW \\($SESSIONS sessions\\)"
  for _ in $(seq 600); do grep -aqE "$cycle_done" "$work/bridge-commands-first.log" && break; sleep 1; done
  { grep -aE "$cycle_done" "$work/bridge-commands-first.log" || echo "(no registrants cycle over $SESSIONS sessions logged)"; } \
    | sed 's/^/  log: /' | head -1
  echo "with nothing else running (baseline):"
  bench waits "$webhook_port" "$SECRET" "$flow" gen-00001 60 "$WAIT_INTERVAL_MS"
  budget_line
  echo "FLOW since the sandbox started: $(curl -s "$flow/sandbox/rate-limit")"
  stop_all
}

door() {
  echo; echo "== door: direct:flow-api (the shared budget at its defaults) against a plain HTTP client, 16 threads, FLOW 20 ms"
  java -cp target/flow-bridge.jar bench/flow-quota/FlowDoorBench.java "${ROUNDS_DOOR:-5}" 4 2>&1 | grep -E '^round'
}

case "$SCENARIOS" in
  door) door ;;
  defaults) defaults ;;
  quota) quota ;;
  commands-first) commands_first ;;
  all) defaults; quota; commands_first ;;
  *) echo "usage: $0 [defaults|quota|commands-first|all]"; exit 2 ;;
esac
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
