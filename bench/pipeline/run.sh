#!/usr/bin/env bash
# The whole pipeline under load on this machine: the local stack and all five services (default
# settings) as processes, a first champion, then the traffic producer paced at each rate for
# DURATION_S seconds. One JSON line per rate: production-to-anomaly latency (p50/p95/p99), each
# stage's rate while the producer ran and its catch-up time, consumer lag every 5 s, CPU and peak RSS.
#   bench/pipeline/run.sh [rates...]      (default: 5000 20000; DURATION_S=60; PROFILE=<service> adds a CPU profile)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
[ "$(bash tools/stack/stack.sh status | grep -c ' up ')" -ge 4 ] || bash tools/stack/stack.sh up >&2
npx tsc -b tsconfig.build.json
rates=("$@")
[ ${#rates[@]} -gt 0 ] || rates=(5000 20000)
node --import tsx bench/pipeline/pipeline.ts "${rates[@]}"
