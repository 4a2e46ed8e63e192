#!/usr/bin/env bash
# Regenerates libs/ml/fixtures/algorithms/algorithms-reference.json (scikit-learn's LOF and OneClassSVM figures)
# from the parity CSVs already in libs/ml/fixtures/forest, without rebuilding those (run.sh does both).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
source "$(dirname "$0")/ensure-venv.sh"
"$VENV/bin/python" "$ROOT/tools/checks/sklearn/algorithms_reference.py" --data "$ROOT/libs/ml/fixtures/forest" --out "$ROOT/libs/ml/fixtures/algorithms"
