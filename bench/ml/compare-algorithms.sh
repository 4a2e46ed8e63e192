#!/usr/bin/env bash
# Isolation Forest vs LOF vs one-class SVM (exact and Nyström), flowsentry next to scikit-learn in the same run,
# on the traffic producer's events and the parity data sets. Writes bench/ml/reports/algorithms.{md,html}.
# Usage: bench/ml/compare-algorithms.sh [producer events=40000]. scikit-learn comes from the check venv.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
source "$ROOT/tools/checks/sklearn/ensure-venv.sh"
cd "$ROOT"
# The timed code is the built library, as the services run it: built first, and tsx given the base
# tsconfig (no path mapping), so @flowsentry/* resolve to dist/. From src, every worker thread of a
# 2-thread LOF training would first transpile the TypeScript it loads (~0.15 s).
npx tsc -b tsconfig.build.json
TSX_TSCONFIG_PATH=tsconfig.base.json FLOWSENTRY_PYTHON="$VENV/bin/python" exec node --max-old-space-size=6144 --import tsx bench/ml/compare-algorithms.ts "${1:-40000}"
