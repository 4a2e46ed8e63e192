#!/usr/bin/env bash
# Trainer and evaluator latency on the local stack, one JSON line per training-window size:
#   bench/models/run.sh [rows...]      (default: 62500 1250000 → 50k and 1M training rows after the 20 % holdout)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
[ "$(bash tools/stack/stack.sh status | grep -c ' up ')" -ge 4 ] || bash tools/stack/stack.sh up >&2
npx tsc -b tsconfig.build.json
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(62500 1250000)
for rows in "${sizes[@]}"; do
  echo "[bench models] window of $rows SILVER rows" >&2
  node --import tsx bench/models/silver-to-champion.ts "$rows"
done
