#!/usr/bin/env bash
# scikit-learn parity check for libs/ml's Isolation Forest, LOF and one-class SVM. Regenerates the fixtures the
# jest unit tests read (libs/ml/fixtures/forest, libs/ml/fixtures/algorithms) and prints flowsentry vs sklearn
# ROC-AUC per data set for the forest (the LOF and OC-SVM comparisons are the jest parity specs).
# Needs: Debian's r-cran-mlbench (the paper's data sets as .rda), a Python venv with scikit-learn, and the
# traffic producer (tools/producer, built here if needed) for the labelled flows.
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
# One simulated day (2,000 events at 100/s × 4,320) of the producer's traffic with every attack kind; a
# fixed seed and --start make the events, hence flows.csv, identical on every run.
npx tsc -b tools/producer
EVENTS="$(mktemp --suffix=.jsonl)"
trap 'rm -f "$EVENTS"' EXIT
node tools/producer/dist/cli.js --count 2000 --rate 100 --time-scale 4320 --start 2025-01-06T00:00:00Z \
  --seed flowsentry-parity --attacks all --fast --out "$EVENTS" >/dev/null
npx tsx tools/checks/sklearn/flows-fixture.ts "$EVENTS" "$FIXTURES/flows.csv"
"$VENV/bin/python" tools/checks/sklearn/sklearn_reference.py --fixtures "$FIXTURES"
"$VENV/bin/python" tools/checks/sklearn/algorithms_reference.py --data "$FIXTURES" --out "$ROOT/libs/ml/fixtures/algorithms"
npx tsx tools/checks/sklearn/compare.ts
