#!/usr/bin/env bash
# The main job (`npm run demo`): start the local stack, run all five services as processes, and play
# three simulated working days of one organisation through them:
#   Tuesday    normal traffic: the first model is trained, judged, promoted; the monitor takes it up;
#   Wednesday  attack episodes (scans, SYN floods, brute force, exfiltration, beaconing) among normal
#              traffic: the monitor sends anomalies with reasons;
#   Thursday   a drifted traffic mix: the monitor raises drift.detected, the trainer retrains on the new
#              regime, the evaluator promotes it, the monitor switches baselines;
# plus a few invalid events (dead-lettered with a reason). Then it prints what happened.
#   --keep leaves the services running afterwards (and prints how to stop them).
#   DEMO_RATE (events/s, default 2000), DEMO_SEED (default 42), DEMO_TRAIN_EVENTS (24000),
#   DEMO_ATTACK_EVENTS (40000), DEMO_DRIFT_EVENTS (36000)
set -euo pipefail
keep=0
for arg in "$@"; do
  case $arg in
    --keep) keep=1 ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "demo: unknown option $arg (only --keep)" >&2; exit 2 ;;
  esac
done
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# shellcheck source=lib/workspace.sh
source tools/lib/workspace.sh
state="${FLOWSENTRY_STATE:-$FLOWSENTRY_CACHE/state}"
rate="${DEMO_RATE:-2000}"
seed="${DEMO_SEED:-42}"
train_events="${DEMO_TRAIN_EVENTS:-24000}"
attack_events="${DEMO_ATTACK_EVENTS:-40000}"
drift_events="${DEMO_DRIFT_EVENTS:-36000}"
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
monitor_port="${MONITOR_PORT:-8085}"
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
# Ingest batches of 1,000 flows: a SILVER batch is one partition's slice, and the monitor wants three
# drifted batches in a row of one stream before it calls drift (docs/MONITOR.md).
start_service ingest "$port" INGEST_BATCH_MAX_EVENTS=1000 INGEST_BATCH_MAX_WAIT_MS=300
start_service transform "$transform_port"
# Windows sized for a demo day: the first model after 20,000 rows, a drift retrain after 15,000 rows of the new regime.
start_service trainer "$trainer_port" TRAINER_MODEL_NAME="$model" TRAINER_MIN_ROWS=20000 TRAINER_WINDOW_ROWS=20000 TRAINER_RETRAIN_MIN_ROWS=15000
start_service evaluator "$evaluator_port" EVALUATOR_ANNOUNCE_INTERVAL_MS=250
start_service monitor "$monitor_port" MONITOR_MODEL_NAME="$model"

eval "$(bash tools/stack/stack.sh env cli)"
export FLOWSENTRY_TOPIC_PREFIX="$prefix"
# One simulated organisation (one seed), working hours of consecutive weekdays, 20 simulated minutes per second.
produce() { node tools/producer/dist/cli.js --seed "$seed" --rate "$rate" --time-scale 1200 --fast "$@"; }
champion() { metric flowsentry_monitor_champion_version "$monitor_port"; }
landed_batches() { metric flowsentry_ingest_batches_total; }
transformed() { metric flowsentry_transform_events_in_total "$transform_port"; }
monitored() { metric flowsentry_monitor_batches_total "$monitor_port"; }
silver_batches() { metric flowsentry_transform_events_out_total "$transform_port"; }
ingested() { metric flowsentry_ingest_events_in_total; }
before="$(ingested)"
produced=0

# One screen of progress across the five services, redrawn in place on a terminal; without one
# (CI, a pipe), one line every few seconds.
bar() {
  local have=$1 want=$2 width=30 fill pct
  ((want > 0)) || want=1
  fill=$((have * width / want)); ((fill > width)) && fill=$width
  pct=$((have * 100 / want)); ((pct > 100)) && pct=100
  printf '[%s%s] %3d%%' "$(printf '%*s' "$fill" '' | tr ' ' '#')" "$(printf '%*s' $((width - fill)) '' | tr ' ' '.')" "$pct"
}
drawn=0
dashboard() {
  local events=$(($(ingested) - before)) silver monitored_batches
  silver="$(silver_batches)"; monitored_batches="$(monitored)"
  local lines=(
    "  events     $(bar "$events" "$produced") $events / $produced ingested, $(metric flowsentry_ingest_events_rejected_total) rejected to the DLQ"
    "  RAW        $(landed_batches) batches landed, $(transformed) transformed"
    "  SILVER     $(bar "$monitored_batches" "$silver") $silver datasets, $monitored_batches judged by the monitor"
    "  models     $(metric flowsentry_trainer_events_out_total "$trainer_port") trained, $(metric flowsentry_evaluator_events_out_total "$evaluator_port") evaluated; the monitor scores with v$(champion)"
    "  drift      $(metric flowsentry_monitor_drift_detected_total "$monitor_port") drift.detected"
    "  anomalies  $(metric flowsentry_monitor_anomalies_emitted_total "$monitor_port") sent to anomalies.detected"
  )
  if [ -t 1 ]; then
    ((drawn)) && printf '\033[%dA' "${#lines[@]}"
    printf '\033[K%s\n' "${lines[@]}"
    drawn=1
  else
    printf '%s\n' "${lines[0]# } |${lines[3]#  models}"
  fi
}
# Waits until `$2` prints a number at least `$3` (`$1` says what for), showing the dashboard meanwhile.
wait_for() {
  local what=$1 probe=$2 want=$3 have=0 i
  for i in $(seq 0 1199); do
    have="$($probe)"
    if [ "$have" -ge "$want" ]; then dashboard; drawn=0; echo "  ✓ $what"; return 0; fi
    if [ -t 1 ] || ((i % 10 == 0)); then dashboard; fi
    sleep 0.5
  done
  die "gave up waiting for $what ($have of $want); see $state/logs/"
}
# Everything produced so far has been landed, transformed and judged by the monitor.
caught_up() {
  wait_for "every event ingested" ingested "$((before + produced))"
  wait_for "every RAW batch transformed" transformed "$(landed_batches)"
  wait_for "every SILVER batch judged by the monitor" monitored "$(silver_batches)"
}

step "Tuesday: $train_events flows of normal traffic; the first model is trained, judged and promoted"
produce --count "$train_events" --start 2026-11-17T08:00:00Z --attacks none
produced=$((produced + train_events))
wait_for "a first champion, taken up by the monitor" champion 1

step "Wednesday: $attack_events flows with attack episodes (10% of the day); the monitor scores every flow"
produce --count "$attack_events" --start 2026-11-18T08:00:00Z --attacks all
produced=$((produced + attack_events))
caught_up

step "Thursday: $drift_events flows of a drifted traffic mix (more web and QUIC, larger transfers)"
produce --count "$drift_events" --start 2026-11-19T08:00:00Z --attacks none --drift-at 0
produced=$((produced + drift_events))
# The retrain is judged like any model: promoted (and taken up by the monitor) or rejected with its reason.
evaluated() { metric flowsentry_evaluator_events_in_total "$evaluator_port"; }
wait_for "drift detected, a model retrained on the new traffic and judged by the evaluator" evaluated 2

step "sending 3 invalid events (they must reach the dead-letter topic with a reason)"
printf '%s\n' '{"ts": "not a time", "sensor_id": "demo"}' '{"truncated": ' \
  '{"ts":"2026-01-01T00:00:00Z","sensor_id":"demo","src_ip":"10.0.0.1","dst_ip":"10.0.0.2","src_port":99999,"dst_port":80,"protocol":"tcp","bytes_in":1,"bytes_out":1,"packets_in":1,"packets_out":1,"duration_ms":1}' \
  | bash tools/stack/kafka-tool console-producer --bootstrap-server "$KAFKA_BROKERS" --topic "$prefix.network.events"
produced=$((produced + 3))
caught_up

step "what happened"
node tools/cli/dist/cli.js status --ingest-group "$prefix-ingest"
echo
echo "ingest:    $(metric flowsentry_ingest_events_landed_total) events landed in RAW in $(landed_batches) batches, $(metric flowsentry_ingest_events_rejected_total) rejected to the DLQ"
echo "transform: $(metric flowsentry_transform_rows_out_total "$transform_port") rows written to SILVER (Parquet), $(metric flowsentry_transform_duplicates_total "$transform_port") duplicates dropped"
echo "monitor:   $(metric flowsentry_monitor_scored_rows_total "$monitor_port") flows scored, $(metric flowsentry_monitor_anomalies_emitted_total "$monitor_port") anomalies sent, $(metric flowsentry_monitor_drift_detected_total "$monitor_port") drift.detected"
echo
echo "anomalies: flowsentry anomalies --model $model --labelled (the producer labels its flows, so detection can be judged)"
node tools/cli/dist/cli.js anomalies --model "$model" --labelled --limit 3
echo
echo "models:    flowsentry models show $model (versions, metrics, who promoted what and why)"
node tools/cli/dist/cli.js models show "$model"
echo "           reports: eval/$model/<version>/report.html in MinIO (self-contained; open in a browser)"
echo "           registry API: curl -H \"Authorization: Bearer \$(cat $state/secrets/registry-api-token)\" http://127.0.0.1:$evaluator_port/models"
echo "           monitor reports: monitor/$model/<version>/batches/<dataset>/{drift,constraint_violations}.json in MinIO"
echo
echo "lineage:   flowsentry lineage $model (the champion back to the Kafka offsets its data came from; first lines)"
{ node tools/cli/dist/cli.js lineage "$model" || true; } | head -12 || true
echo "traces:    each version's 'trace' above is the run that trained it, one trace from the producer's send to the monitor; all runs: $JAEGER_QUERY_URL/search?service=flowsentry-ingest"
echo "audit:     eval \"\$(bash tools/stack/stack.sh env cli)\"; psql -c 'select service, step, status, input_ref from step_records order by id desc limit 10'"

if ((keep)); then
  trap - EXIT
  step "--keep: the services keep running (pids ${pids[*]}; logs in $state/logs/)"
  echo "  topics and groups of this run: $prefix.*; metrics on ports $port, $transform_port, $trainer_port, $evaluator_port, $monitor_port"
  echo "  stop them:  kill ${pids[*]}     stop the stack too:  bash tools/stack/stack.sh down"
  exit 0
fi
step "stopping the services (SIGTERM drains them); the stack keeps running: bash tools/stack/stack.sh down"
for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
trap - EXIT
