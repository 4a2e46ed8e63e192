#!/usr/bin/env bash
# libs/ml benchmark (not a test): prints training time and scoring throughput next to scikit-learn.
# Usage: bench/ml/run.sh [rows=1000000]. scikit-learn comes from the check venv (created on first use).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
source "$ROOT/tools/checks/sklearn/ensure-venv.sh"
cd "$ROOT"
FLOWSENTRY_PYTHON="$VENV/bin/python" exec node --max-old-space-size=4096 --import tsx bench/ml/bench.ts "${1:-1000000}"
