#!/usr/bin/env bash
# Ingest throughput on this machine with the whole local stack running.
#   bench/ingest/run.sh [events=1000000]
# Pre-loads a fresh topic with realistic NetworkEvents (Kafka's own producer-perf tool, payloads from
# the traffic producer), measures Kafka's consumer-perf tool on it, then one ingest instance from
# start to the last event landed in RAW, and prints both with ingest's per-phase time split.
# Env: INGEST_BATCH_MAX_EVENTS / _BYTES / _WAIT_MS as for the service; OTEL_SDK_DISABLED=true to
# measure without tracing; PARTITIONS (default 3).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
N="${1:-1000000}"
PARTITIONS="${PARTITIONS:-3}"
export INGEST_BATCH_MAX_EVENTS="${INGEST_BATCH_MAX_EVENTS:-5000}"
export INGEST_BATCH_MAX_BYTES="${INGEST_BATCH_MAX_BYTES:-4194304}"
export INGEST_BATCH_MAX_WAIT_MS="${INGEST_BATCH_MAX_WAIT_MS:-2000}"
work="$(mktemp -d)"
trap 'kill "${ingest_pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

log() { printf '[bench] %s\n' "$*" >&2; }

bash tools/stack/stack.sh up >&2
[ -f services/ingest/dist/main.js ] && [ -f tools/producer/dist/cli.js ] || npx tsc -b tsconfig.build.json
eval "$(bash tools/stack/stack.sh env cli)"
prefix="bench$(date +%s)"
topic="$prefix.network.events"
for t in network.events network.events.dlq raw.landed; do
  bash tools/stack/kafka-tool topics --bootstrap-server "$KAFKA_BROKERS" --create --if-not-exists --topic "$prefix.$t" --partitions "$PARTITIONS" --replication-factor 1 >/dev/null
done

log "generating payloads with the traffic producer"
node tools/producer/dist/cli.js --count 20000 --fast --seed 1 --attacks all --out "$work/payload.jsonl" 2>/dev/null
log "pre-loading $N events into $topic ($PARTITIONS partitions) with Kafka's producer-perf tool"
bash tools/stack/kafka-tool producer-perf-test --topic "$topic" --num-records "$N" --throughput -1 --payload-file "$work/payload.jsonl" \
  --producer-props bootstrap.servers="$KAFKA_BROKERS" acks=1 linger.ms=10 batch.size=524288 | tail -1 >&2

log "Kafka consumer-perf tool on the same topic"
kperf="$(bash tools/stack/kafka-tool consumer-perf-test --bootstrap-server "$KAFKA_BROKERS" --topic "$topic" --messages "$N" --timeout 120000 --hide-header 2>/dev/null | tail -1)"
# columns: start, end, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
kafka_rate="$(echo "$kperf" | awk -F', *' '{printf "%.0f", $10}')"
kafka_total_rate="$(echo "$kperf" | awk -F', *' '{printf "%.0f", $6}')"

log "starting one ingest instance"
port=18181
(eval "$(bash tools/stack/stack.sh env ingest)"; export FLOWSENTRY_TOPIC_PREFIX="$prefix" INGEST_GROUP_ID="$prefix-ingest" PORT=$port LOG_LEVEL=warn; exec node services/ingest/dist/main.js) > "$work/ingest.log" 2>&1 &
ingest_pid=$!
node bench/ingest/watch-landing.js "$prefix-ingest" "$N" "$port" "$ingest_pid" > "$work/result.json"

node -e '
  const r = require(process.argv[1]);
  const [kafkaFetch, kafkaTotal] = [Number(process.argv[2]), Number(process.argv[3])];
  const line = (k, v) => console.log(`${k.padEnd(34)} ${v}`);
  console.log("\ningest benchmark (" + r.events + " events, " + process.argv[4] + " partitions)");
  line("batch settings", `max ${process.env.INGEST_BATCH_MAX_EVENTS} events / ${process.env.INGEST_BATCH_MAX_BYTES} bytes / ${process.env.INGEST_BATCH_MAX_WAIT_MS} ms`);
  line("tracing", process.env.OTEL_SDK_DISABLED === "true" ? "off" : "on (OTLP to Jaeger)");
  line("ingest events/s (first fetch..last landed)", Math.round(r.eventsPerSec));
  line("kafka consumer-perf nMsg/s (fetch)", kafkaFetch);
  line("kafka consumer-perf nMsg/s (incl. join)", kafkaTotal);
  line("ingest / kafka tool", (r.eventsPerSec / kafkaFetch).toFixed(2));
  line("batches landed", r.batches);
  line("RAW bytes (gzip)", r.rawBytes);
  line("ingest CPU seconds (user+sys)", r.cpuSeconds.toFixed(1));
  line("ingest peak RSS MiB", r.peakRssMiB);
  console.log("\nwhere a batch spends its time (sum over all batches, seconds; the rest is fetching and decoding in kafkajs):");
  for (const [phase, s] of Object.entries(r.phases)) line("  " + phase, s.toFixed(2));
' "$work/result.json" "$kafka_rate" "$kafka_total_rate" "$PARTITIONS"
