#!/usr/bin/env bash
# The main job (`npm run demo`): start the local stack, run the pipeline's services on demo traffic
# from the traffic producer (normal profiles, labelled attacks, a drift phase, a few invalid events),
# wait until everything is processed, and print what happened.
#   DEMO_RATE (events/s, default 1000), DEMO_SECONDS (default 30), DEMO_SEED (default 42)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=lib/workspace.sh
source tools/lib/workspace.sh
state="${FLOWSENTRY_STATE:-$FLOWSENTRY_CACHE/state}"
rate="${DEMO_RATE:-1000}"
seconds="${DEMO_SECONDS:-30}"
seed="${DEMO_SEED:-42}"
port="${INGEST_PORT:-8081}"

step() { printf '\n==> %s\n' "$*"; }
die() { echo "demo: $*" >&2; exit 1; }

step "installing dependencies and building"
ensure_workspace || die "install or build failed (see above)"
step "starting the local stack (first run builds servers from source: several minutes)"
bash tools/stack/stack.sh up

metric() { curl -fsS "http://127.0.0.1:$port/metrics" | awk -v m="$1" '$1 ~ "^"m"({|$)" {s += $2} END {printf "%d", s}'; }

step "starting ingest on 127.0.0.1:$port (logs: $state/logs/ingest.log)"
mkdir -p "$state/logs"
if curl -fsS "http://127.0.0.1:$port/health/live" >/dev/null 2>&1; then die "port $port is in use (is another ingest running?); stop it or set INGEST_PORT"; fi
(eval "$(bash tools/stack/stack.sh env ingest)"; export PORT="$port"; exec node services/ingest/dist/main.js) >> "$state/logs/ingest.log" 2>&1 &
ingest_pid=$!
trap 'kill -TERM "$ingest_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  kill -0 "$ingest_pid" 2>/dev/null || die "ingest exited during start-up; see $state/logs/ingest.log"
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null || die "ingest did not become ready; see $state/logs/ingest.log"
before="$(metric flowsentry_ingest_events_in_total)"

step "producing ${seconds}s of traffic at ${rate} events/s (seed $seed; attacks and a drift phase; simulated time runs 240x)"
eval "$(bash tools/stack/stack.sh env cli)"
node tools/producer/dist/cli.js --rate "$rate" --duration "$seconds" --time-scale 240 --attacks all --drift-at 0.75 --seed "$seed"
sent=$((rate * seconds))

step "sending 3 invalid events (they must reach the dead-letter topic with a reason)"
printf '%s\n' '{"ts": "not a time", "sensor_id": "demo"}' '{"truncated": ' \
  '{"ts":"2026-01-01T00:00:00Z","sensor_id":"demo","src_ip":"10.0.0.1","dst_ip":"10.0.0.2","src_port":99999,"dst_port":80,"protocol":"tcp","bytes_in":1,"bytes_out":1,"packets_in":1,"packets_out":1,"duration_ms":1}' \
  | bash tools/stack/kafka-tool console-producer --bootstrap-server "$KAFKA_BROKERS" --topic "${FLOWSENTRY_TOPIC_PREFIX:+$FLOWSENTRY_TOPIC_PREFIX.}network.events"
expected=$((before + sent + 3))

step "waiting for ingest to land everything"
for _ in $(seq 1 240); do
  seen="$(metric flowsentry_ingest_events_in_total)"
  [ "$seen" -ge "$expected" ] && [ "$(metric flowsentry_ingest_buffered_events)" -eq 0 ] && break
  printf '\r  %d / %d events processed' "$((seen - before))" "$((expected - before))"
  sleep 0.5
done
printf '\r  %d / %d events processed\n' "$(( $(metric flowsentry_ingest_events_in_total) - before ))" "$((expected - before))"

step "what happened"
node tools/cli/dist/cli.js status
echo
echo "this run: $(( $(metric flowsentry_ingest_events_landed_total) )) events landed in RAW in $(metric flowsentry_ingest_batches_total) batches, $(metric flowsentry_ingest_events_rejected_total) rejected to the DLQ"
echo "traces:   $JAEGER_QUERY_URL/search?service=flowsentry-ingest  (API: $JAEGER_QUERY_URL/api/traces?service=flowsentry-ingest&operation=ingest.land_batch)"
echo "metrics:  http://127.0.0.1:$port/metrics (while ingest runs)"
echo "audit:    eval \"\$(bash tools/stack/stack.sh env cli)\"; psql -c 'select * from step_records order by id desc limit 5'"
echo
echo "transform, trainer, evaluator and monitor are not built yet: the pipeline stops after ingest (raw.landed)."

step "stopping ingest (SIGTERM drains open batches); the stack keeps running: bash tools/stack/stack.sh down"
kill -TERM "$ingest_pid"
wait "$ingest_pid" 2>/dev/null || true
trap - EXIT
