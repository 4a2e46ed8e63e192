#!/usr/bin/env bash
# Ingest throughput on this machine with the whole local stack running.
#   bench/ingest/run.sh [events=1000000]
# For each topic shape (plain: no key, no headers, loaded by Kafka's producer-perf tool; keyed: a
# sensor-id key and the producer's three headers), measured on the same topic in the same run:
#   1. Kafka's own consumer-perf tool (Java),
#   2. a bare kafkajs eachBatch consumer with ingest's settings that only JSON.parses each value,
#   3. one ingest instance, from its first fetch to the last event landed in RAW (exactly-once),
# and ingest's rate as a ratio to 1 and 2, with its per-phase time split.
# Env: SHAPES (default "plain keyed"); INGEST_BATCH_MAX_EVENTS / _BYTES / _WAIT_MS as for the service;
# OTEL_SDK_DISABLED=true to measure without tracing; PARTITIONS (default 3); INSTANCES=2 to add a run
# of two ingest processes in one group; PROFILE=1 to run ingest under node --cpu-prof and print its
# self time by module and function.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
N="${1:-1000000}"
PARTITIONS="${PARTITIONS:-3}"
SHAPES="${SHAPES:-plain keyed}"
INSTANCES="${INSTANCES:-1}"
PROFILE="${PROFILE:-0}"
export INGEST_BATCH_MAX_EVENTS="${INGEST_BATCH_MAX_EVENTS:-5000}"
export INGEST_BATCH_MAX_BYTES="${INGEST_BATCH_MAX_BYTES:-4194304}"
export INGEST_BATCH_MAX_WAIT_MS="${INGEST_BATCH_MAX_WAIT_MS:-2000}"
work="$(mktemp -d)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

log() { printf '[bench] %s\n' "$*" >&2; }

bash tools/stack/stack.sh up >&2
[ -f services/ingest/dist/main.js ] && [ -f tools/producer/dist/cli.js ] || npx tsc -b tsconfig.build.json
eval "$(bash tools/stack/stack.sh env cli)"
run_id="bench$(date +%s)"

log "generating payloads with the traffic producer"
node tools/producer/dist/cli.js --count 20000 --fast --seed 1 --attacks all --out "$work/payload.jsonl" 2>/dev/null

# Starts ingest on $prefix in group $group at $port (flags: extra node flags), recording its pid.
start_ingest() {
  local prefix="$1" group="$2" port="$3" flags="$4" logfile="$5"
  # shellcheck disable=SC2086
  (eval "$(bash tools/stack/stack.sh env ingest)"; export FLOWSENTRY_TOPIC_PREFIX="$prefix" INGEST_GROUP_ID="$group" PORT="$port" LOG_LEVEL=warn
   exec node $flags services/ingest/dist/main.js) > "$logfile" 2>&1 &
  pids+=("$!")
}

for shape in $SHAPES; do
  prefix="$run_id$shape"
  topic="$prefix.network.events"
  for t in network.events network.events.dlq raw.landed; do
    bash tools/stack/kafka-tool topics --bootstrap-server "$KAFKA_BROKERS" --create --if-not-exists --topic "$prefix.$t" --partitions "$PARTITIONS" --replication-factor 1 >/dev/null
  done
  log "[$shape] pre-loading $N events into $topic ($PARTITIONS partitions)"
  if [ "$shape" = keyed ]; then
    node bench/ingest/preload-keyed.js "$topic" "$N" "$work/payload.jsonl"
  else
    bash tools/stack/kafka-tool producer-perf-test --topic "$topic" --num-records "$N" --throughput -1 --payload-file "$work/payload.jsonl" \
      --producer-props bootstrap.servers="$KAFKA_BROKERS" acks=1 linger.ms=10 batch.size=524288 | tail -1 >&2
  fi

  log "[$shape] Kafka consumer-perf tool"
  kperf="$(bash tools/stack/kafka-tool consumer-perf-test --bootstrap-server "$KAFKA_BROKERS" --topic "$topic" --messages "$N" --timeout 120000 --hide-header 2>/dev/null | tail -1)"
  # columns: start, end, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  echo "$kperf" | awk -F', *' '{printf "{\"fetchRate\": %.0f, \"totalRate\": %.0f}\n", $10, $6}' > "$work/$shape-kafka.json"

  log "[$shape] bare kafkajs consumer (eachBatch + JSON.parse)"
  node bench/ingest/bare-consume.js "$topic" "$N" > "$work/$shape-bare.json"

  log "[$shape] one ingest instance"
  flags=""
  if [ "$PROFILE" = 1 ]; then
    prof_dir="${PROFILE_DIR:-${TMPDIR:-/tmp}/flowsentry-ingest-prof.$run_id}/$shape"
    mkdir -p "$prof_dir"
    flags="--cpu-prof --cpu-prof-dir=$prof_dir -r ./bench/lib/exit-on-usr2.js"
  fi
  start_ingest "$prefix" "$prefix-ingest" 18181 "$flags" "$work/$shape-ingest.log"
  ingest_pid="${pids[-1]}"
  node bench/ingest/watch-landing.js "$prefix-ingest" "$N" 18181 "$ingest_pid" > "$work/$shape-ingest.json" || { tail -20 "$work/$shape-ingest.log" >&2; exit 1; }
  if [ "$PROFILE" = 1 ]; then kill -USR2 "$ingest_pid"; else kill "$ingest_pid"; fi
  wait "$ingest_pid" 2>/dev/null || true
  if [ "$PROFILE" = 1 ]; then
    echo "[$shape] ingest CPU profile" > "$work/$shape-profile.txt"
    node --import tsx bench/lib/profile-top.ts "$prof_dir" "${PROFILE_TOP:-25}" >> "$work/$shape-profile.txt"
    log "[$shape] profile kept in $prof_dir (open in Chrome DevTools > Performance, or speedscope)"
  fi

  if [ "$INSTANCES" = 2 ]; then
    log "[$shape] two ingest instances in one group"
    start_ingest "$prefix" "$prefix-ingest2" 18182 "" "$work/$shape-ingest2a.log"
    a="${pids[-1]}"
    start_ingest "$prefix" "$prefix-ingest2" 18183 "" "$work/$shape-ingest2b.log"
    b="${pids[-1]}"
    node bench/ingest/watch-landing.js "$prefix-ingest2" "$N" 18182 "$a" "$b" 18183 > "$work/$shape-ingest2.json" || { tail -20 "$work/$shape-ingest2a.log" >&2; exit 1; }
    kill "$a" "$b" 2>/dev/null || true
    wait "$a" "$b" 2>/dev/null || true
  fi
done

node bench/ingest/report.js "$work" "$PARTITIONS" $SHAPES
if [ "$PROFILE" = 1 ]; then cat "$work"/*-profile.txt; fi
