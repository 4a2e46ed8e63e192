#!/usr/bin/env bash
# Transform throughput: rows/s of one transform instance next to the floor cost, on the local stack.
#   bench/transform/run.sh [events=1000000]
# 1. fresh topic prefix, all topics (3 partitions), N traffic-producer events, one ingest instance
#    until all N are in RAW (then stopped);
# 2. the floor on the same RAW objects: gunzip + split lines + JSON.parse, one thread, best of 3;
# 3. one transform instance until every raw.landed is processed: rows/s, CPU, peak RSS, phase split;
#    then, as a second floor, writeParquet alone on the SILVER tables it wrote (read back, rewritten
#    byte-identical, fastest of 3 per table): the share of transform's cost that is the output format's;
# 4. with PROFILE=1, a second transform run (own group, windows reordered so the SILVER keys are new)
#    under node --cpu-prof, and its top self-time functions over the main thread and the SILVER
#    workers (each thread writes a profile of its own; libs/threads passes workers the profiling flags).
# Env: PARTITIONS (3), PROFILE (0), PROFILE_TOP (25), BENCH_TIMEOUT_MIN (30 per wait), TRANSFORM_WORKERS (service default 2), TRANSFORM_READ_AHEAD (true),
# OTEL_SDK_DISABLED=true to measure without tracing, KEEP_WORK=1 to keep the work dir.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
N="${1:-1000000}"
PARTITIONS="${PARTITIONS:-3}"
PROFILE="${PROFILE:-0}"
work="$(mktemp -d -t bench-transform.XXXXXX)"
pids=()

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

# Stops a process we started and waits for it (bounded): SIGTERM, SIGKILL after 20 s.
stop() {
  local pid="$1" sig="${2:-TERM}"
  kill -0 "$pid" 2>/dev/null || return 0
  kill -"$sig" "$pid" 2>/dev/null || true
  for _ in $(seq 1 80); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.25; done
  kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  for pid in "${pids[@]}"; do stop "$pid"; done
  if [ "${KEEP_WORK:-0}" = 1 ]; then log "work dir kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    ss -Hltn "sport = :$p" | grep -q . || { echo "$p"; return; }
  done
  echo "no free port found" >&2; return 1
}
# Runs a service as <role> with the stack's env for that role plus the given VAR=value pairs.
role_env() { bash tools/stack/stack.sh env "$1"; }

[ "$(bash tools/stack/stack.sh status | grep -c ' up ')" -ge 4 ] || bash tools/stack/stack.sh up >&2
[ -f services/ingest/dist/main.js ] && [ -f services/transform/dist/main.js ] && [ -f tools/producer/dist/cli.js ] || npx tsc -b tsconfig.build.json
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
prefix="bench$(date +%s)$((RANDOM % 1000))"
log "prefix $prefix, $N events, load average $load_start, work dir $work"

# --- 1. topics, events, RAW -----------------------------------------------------------------------
(eval "$(role_env cli)"; exec node bench/transform/bench.js topics "$prefix" "$PARTITIONS")
log "producing $N events into $prefix.network.events"
(eval "$(role_env cli)"; export FLOWSENTRY_TOPIC_PREFIX="$prefix"
 exec timeout 1800 node tools/producer/dist/cli.js --count "$N" --rate 1000 --time-scale 60 --fast --seed bench) > "$work/producer.log" 2>&1 \
  || { tail -5 "$work/producer.log" >&2; exit 1; }
tail -3 "$work/producer.log" >&2

log "starting one ingest instance (default batch settings)"
ingest_port="$(free_port)"
(eval "$(role_env ingest)"; export FLOWSENTRY_TOPIC_PREFIX="$prefix" INGEST_GROUP_ID="$prefix-ingest" PORT="$ingest_port" LOG_LEVEL=warn
 exec node services/ingest/dist/main.js) > "$work/ingest.log" 2>&1 &
ingest_pid=$!
pids+=("$ingest_pid")
(eval "$(role_env cli)"; exec node bench/transform/bench.js wait-ingest "$prefix-ingest" "$N" "$ingest_pid" "$work/ingest.json") \
  || { tail -20 "$work/ingest.log" >&2; exit 1; }
stop "$ingest_pid"
batches="$(node -p "require('$work/ingest.json').batchesWithEvents")"

# --- 2. floor ------------------------------------------------------------------------------------
log "floor: gunzip + split + JSON.parse on the same $batches RAW objects"
(eval "$(role_env transform)"; exec node bench/transform/bench.js floor "$work/ingest.json" "$work/floor.json" 3)

# --- 3. one transform instance -------------------------------------------------------------------
# Runs transform as group $1 with extra env $3..; $2 = node flags; waits until every raw.landed is processed.
run_transform() {
  local group="$1" flags="$2" out="$3"; shift 3
  local port start pid
  port="$(free_port)"
  start="$(date +%s%3N)"
  # shellcheck disable=SC2086
  (eval "$(role_env transform)"; export FLOWSENTRY_TOPIC_PREFIX="$prefix" TRANSFORM_GROUP_ID="$group" PORT="$port" LOG_LEVEL=warn "$@"
   exec node $flags services/transform/dist/main.js) > "$work/$group.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  (eval "$(role_env cli)"; exec node bench/transform/bench.js watch-transform "$group" "$prefix" "$batches" "$pid" "$port" "$start" "$out") \
    || { tail -20 "$work/$group.log" >&2; exit 1; }
  transform_pid="$pid"
}
log "transform: one instance, group $prefix-transform, $batches raw.landed to process"
run_transform "$prefix-transform" "" "$work/transform.json"
stop "$transform_pid"
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
log "Parquet alone: writeParquet on the SILVER tables transform wrote, fastest of 3 per table"
(eval "$(role_env transform)"; exec node bench/transform/bench.js parquet-floor "$work/transform.json" "$work/parquet.json" 3)

# --- 4. optional profiled run --------------------------------------------------------------------
if [ "$PROFILE" = 1 ]; then
  prof_dir="${PROFILE_DIR:-${TMPDIR:-/tmp}/flowsentry-transform-prof.$prefix}"
  mkdir -p "$prof_dir"
  log "profiled transform run (node --cpu-prof --cpu-prof-dir=$prof_dir)"
  # Own group; windows in the other order give another feature version, so SILVER objects are new puts, not stat hits.
  run_transform "$prefix-transform-prof" "--cpu-prof --cpu-prof-dir=$prof_dir -r ./bench/lib/exit-on-usr2.js" "$work/transform-prof.json" TRANSFORM_WINDOWS_MS=600000,60000
  stop "$transform_pid" USR2
fi

LOAD_START="$load_start" LOAD_END="$load_end" node bench/transform/bench.js summary "$work/ingest.json" "$work/floor.json" "$work/transform.json" "$work/transform-prof.json" "$work/parquet.json"
if [ "$PROFILE" = 1 ]; then
  node --import tsx bench/lib/profile-top.ts "$prof_dir" "${PROFILE_TOP:-25}"
  log "profile kept in $prof_dir (open in Chrome DevTools > Performance, or speedscope)"
fi
