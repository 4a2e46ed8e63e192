#!/usr/bin/env bash
# The main job (`npm run demo`): start the local stack, run the pipeline's services on demo traffic
# from the traffic producer (normal profiles, labelled attacks, a drift phase, a few invalid events),
# train and judge a first model on it, wait until everything is processed, and print what happened.
#   DEMO_RATE (events/s, default 1000), DEMO_SECONDS (default 60), DEMO_SEED (default 42),
#   DEMO_TRAIN_ROWS (SILVER rows before the first model, default 40000)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=lib/workspace.sh
source tools/lib/workspace.sh
state="${FLOWSENTRY_STATE:-$FLOWSENTRY_CACHE/state}"
rate="${DEMO_RATE:-1000}"
seconds="${DEMO_SECONDS:-60}"
train_rows="${DEMO_TRAIN_ROWS:-40000}"
seed="${DEMO_SEED:-42}"
port="${INGEST_PORT:-8081}"

step() { printf '\n==> %s\n' "$*"; }
die() { echo "demo: $*" >&2; exit 1; }

step "installing dependencies and building"
ensure_workspace || die "install or build failed (see above)"
step "starting the local stack (first run builds servers from source: several minutes)"
bash tools/stack/stack.sh up

# Every demo run gets topics and consumer groups of its own: names in RAW, SILVER and the audit trail
# derive from Kafka coordinates, so a run on topics an earlier run filled (or that were recreated
# since) would meet that run's objects under the same keys.
prefix="${DEMO_PREFIX:-demo$(date -u +%Y%m%d%H%M%S)}"
# The registry spans environments: each run trains a model name of its own, so it starts from a first model.
model="$prefix-flows"
step "creating this run's topics ($prefix.*)"
(eval "$(bash tools/stack/stack.sh env cli)"; export FLOWSENTRY_TOPIC_PREFIX="$prefix"
 node -e '
   const { createKafka, kafkaSettingsFromEnv, TopicAdmin } = require("@flowsentry/messaging");
   const { ALL_TOPICS, topicName } = require("@flowsentry/contracts");
   const settings = kafkaSettingsFromEnv("flowsentry-demo");
   new TopicAdmin(createKafka(settings)).ensureTopics(ALL_TOPICS.map((t) => topicName(t, settings.topicPrefix)), 3)
     .then(() => process.exit(0), (err) => { console.error(err.message); process.exit(1); });')

transform_port="${TRANSFORM_PORT:-8082}"
trainer_port="${TRAINER_PORT:-8083}"
evaluator_port="${EVALUATOR_PORT:-8084}"
metric() { curl -fsS "http://127.0.0.1:${2:-$port}/metrics" | awk -v m="$1" '$1 ~ "^"m"({|$)" {s += $2} END {printf "%d", s}'; }

# Starts a built service as its own process with its own least-privilege credentials and waits until it is ready.
pids=()
trap 'for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done' EXIT
start_service() {
  local name=$1 svc_port=$2 pid; shift 2
  step "starting $name on 127.0.0.1:$svc_port (logs: $state/logs/$name.log)"
  if curl -fsS "http://127.0.0.1:$svc_port/health/live" >/dev/null 2>&1; then die "port $svc_port is in use (is another $name running?); stop it or set ${name^^}_PORT"; fi
  (eval "$(bash tools/stack/stack.sh env "$name")"; export PORT="$svc_port" FLOWSENTRY_TOPIC_PREFIX="$prefix" "${name^^}_GROUP_ID=$prefix-$name" "$@"
   exec node "services/$name/dist/main.js") >> "$state/logs/$name.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$svc_port/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || die "$name exited during start-up; see $state/logs/$name.log"
    sleep 0.5
  done
  die "$name did not become ready; see $state/logs/$name.log"
}

mkdir -p "$state/logs"
start_service ingest "$port"
start_service transform "$transform_port"
# The demo's window is its whole run: the first model is trained once DEMO_TRAIN_ROWS rows are in SILVER.
start_service trainer "$trainer_port" TRAINER_MODEL_NAME="$model" TRAINER_MIN_ROWS="$train_rows" TRAINER_WINDOW_ROWS="$train_rows" TRAINER_RETRAIN_MIN_ROWS="$train_rows"
start_service evaluator "$evaluator_port"
before="$(metric flowsentry_ingest_events_in_total)"

step "producing ${seconds}s of traffic at ${rate} events/s (seed $seed; attacks and a drift phase; simulated time runs 240x)"
eval "$(bash tools/stack/stack.sh env cli)"
export FLOWSENTRY_TOPIC_PREFIX="$prefix"
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

step "waiting for transform to build SILVER from every landed batch"
batches="$(metric flowsentry_ingest_batches_total)"
for _ in $(seq 1 240); do
  done_batches="$(metric flowsentry_transform_events_in_total "$transform_port")"
  [ "$done_batches" -ge "$batches" ] && break
  printf '\r  %d / %d RAW batches transformed' "$done_batches" "$batches"
  sleep 0.5
done
printf '\r  %d / %d RAW batches transformed\n' "$(metric flowsentry_transform_events_in_total "$transform_port")" "$batches"

silver="$(metric flowsentry_transform_events_out_total "$transform_port")"
step "waiting for the trainer to see all $silver SILVER datasets and the evaluator to judge what it trained"
for _ in $(seq 1 240); do
  seen="$(metric flowsentry_trainer_events_in_total "$trainer_port")"
  trained="$(metric flowsentry_trainer_events_out_total "$trainer_port")"
  judged="$(metric flowsentry_evaluator_events_in_total "$evaluator_port")"
  [ "$seen" -ge "$silver" ] && [ "$judged" -ge "$trained" ] && break
  printf '\r  %d / %d datasets seen by the trainer, %d model(s) trained, %d evaluated' "$seen" "$silver" "$trained" "$judged"
  sleep 0.5
done
printf '\r  %d / %d datasets seen by the trainer, %d model(s) trained, %d evaluated\n' "$(metric flowsentry_trainer_events_in_total "$trainer_port")" "$silver" \
  "$(metric flowsentry_trainer_events_out_total "$trainer_port")" "$(metric flowsentry_evaluator_events_in_total "$evaluator_port")"
[ "$(metric flowsentry_trainer_events_out_total "$trainer_port")" -gt 0 ] || echo "  no model yet: fewer than $train_rows SILVER rows (raise DEMO_SECONDS or lower DEMO_TRAIN_ROWS)"

step "what happened"
node tools/cli/dist/cli.js status --ingest-group "$prefix-ingest"
echo
echo "this run: $(( $(metric flowsentry_ingest_events_landed_total) )) events landed in RAW in $(metric flowsentry_ingest_batches_total) batches, $(metric flowsentry_ingest_events_rejected_total) rejected to the DLQ"
echo "          $(metric flowsentry_transform_rows_out_total "$transform_port") rows written to SILVER (Parquet) from $(metric flowsentry_transform_rows_in_total "$transform_port") RAW lines, $(metric flowsentry_transform_duplicates_total "$transform_port") duplicates dropped, $(metric flowsentry_transform_dead_letters_total "$transform_port") raw.landed dead-lettered"
echo "traces:   $JAEGER_QUERY_URL/search?service=flowsentry-transform  (a transform span continues its ingest batch's trace)"
echo "metrics:  http://127.0.0.1:$port/metrics and http://127.0.0.1:$transform_port/metrics (while the services run)"
echo "audit:    eval \"\$(bash tools/stack/stack.sh env cli)\"; psql -c 'select * from step_records order by id desc limit 5'"
echo
echo "silver:   eval \"\$(bash tools/stack/stack.sh env cli)\"; psql -c \"select details from step_records where service = 'transform' order by id desc limit 3\""
echo
echo "models:   flowsentry models show $model (versions, metrics, who promoted what and why)"
node tools/cli/dist/cli.js models show "$model"
echo "          reports: eval/$model/<version>/report.html in MinIO (self-contained; open in a browser)"
echo "          registry API: curl -H \"Authorization: Bearer \$(cat $state/secrets/registry-api-token)\" http://127.0.0.1:$evaluator_port/models"
echo
echo "the monitor is not built yet: the pipeline stops at the champion (eval.done, champion.changed)."

step "stopping the services (SIGTERM drains them); the stack keeps running: bash tools/stack/stack.sh down"
for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
trap - EXIT
