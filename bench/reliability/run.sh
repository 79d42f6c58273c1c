#!/usr/bin/env bash
# flow-bridge's fault suite with the long timings of issue 7, against real parts: the packaged jar as its own
# process, the FLOW sandbox over HTTP, Apache Kafka's own broker. The same tests run in `mvn verify` with short
# timings; here they run long, and the figures each one measured are collected into bench/reliability/results/.
#
#   bench/reliability/run.sh          # faults (about 20 min), then the 1 h soak
#   bench/reliability/run.sh faults   # faults 1-4 only (3: commands and a report; 4: 10 kills and 5 freezes of the poller)
#   bench/reliability/run.sh takeover # fault 4 only: the poller killed 10 times and frozen 5 times, default settings
#   bench/reliability/run.sh soak     # the soak only (SOAK_DURATION=1h by default)
set -euo pipefail
cd "$(dirname "$0")/../.."

what=${1:-all}
results=bench/reliability/results
takeover="OneWriterIT#a_poller_killed*"
faults="KafkaOutageIT,FlowOutageIT,CommandCrashIT,ReportCrashIT,$takeover"
long_timings=(
  -Dreliability.kafka.outage=60s -Dreliability.kafka.commands-per-phase=300 -Dreliability.kafka.webhook-commands=20
  -Dreliability.flow.outage=5m
  -Dreliability.crash.commands=1000 -Dreliability.crash.report-rows=100000
  -Dreliability.takeovers=10 -Dreliability.freezes=5 -Dreliability.poller.session-timeout=default
)

run() {
  mvn -B verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.forkCount=1 "$@"
}

collect() {
  mkdir -p "$results"
  for file in target/reliability/*; do
    {
      echo "<!-- $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src routes config || echo ' plus uncommitted changes'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg) -->"
      cat "$file"
    } > "$results/$(basename "$file")"
  done
  echo "Figures in $results/"
}

# Figures are collected even when a scenario fails (it records what it measured before it asserts).
status=0
rm -rf target/reliability
if [[ $what == all || $what == faults ]]; then
  run -Dit.test="$faults" "${long_timings[@]}" || status=$?
fi
if [[ $what == takeover ]]; then
  run -Dit.test="$takeover" "${long_timings[@]}" || status=$?
fi
if [[ $what == all || $what == soak ]]; then
  run -Dit.test=SoakIT -Dit.excludedGroups=none -Dreliability.soak.duration="${SOAK_DURATION:-1h}" \
    -Dreliability.soak.sample-interval="${SOAK_SAMPLE_INTERVAL:-5m}" || status=$?
fi
collect
exit $status
