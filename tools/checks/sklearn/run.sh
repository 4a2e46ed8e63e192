#!/usr/bin/env bash
# scikit-learn parity check for libs/ml's Isolation Forest. Regenerates the fixtures the jest unit tests
# read (libs/ml/fixtures/forest) and prints flowsentry vs sklearn ROC-AUC per data set.
# Needs: Debian's r-cran-mlbench (the paper's data sets as .rda) and a Python venv with scikit-learn.
# The product never imports Python; this script is the only place it runs.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
VENV="${FLOWSENTRY_VENV:-$HOME/.cache/flowsentry/venv}"
FIXTURES="$ROOT/libs/ml/fixtures/forest"

if ! dpkg -s r-cran-mlbench >/dev/null 2>&1; then
  echo "installing r-cran-mlbench" >&2
  flock /tmp/flowsentry-apt.lock sh -c 'apt-get update -qq && apt-get -o DPkg::Lock::Timeout=600 install -y -qq r-cran-mlbench'
fi
source "$(dirname "$0")/ensure-venv.sh"

cd "$ROOT"
"$VENV/bin/python" tools/checks/sklearn/prepare_datasets.py --out "$FIXTURES"
npx tsx tools/checks/sklearn/flows-fixture.ts "$FIXTURES/flows.csv" 1000
"$VENV/bin/python" tools/checks/sklearn/sklearn_reference.py --fixtures "$FIXTURES"
npx tsx tools/checks/sklearn/compare.ts
