#!/usr/bin/env bash
# Regenerates libs/ml/fixtures/stats/scipy-fixtures.json. The venv is shared with other checks, so
# pip runs under a lock.
set -euo pipefail
VENV="${HOME}/.cache/flowsentry/venv"
HERE="$(cd "$(dirname "$0")" && pwd)"
if ! "${VENV}/bin/python" -c 'import scipy, numpy, sklearn' 2>/dev/null; then
  flock /tmp/flowsentry-pip.lock bash -c "[ -x '${VENV}/bin/pip' ] || python3 -m venv '${VENV}'; '${VENV}/bin/pip' install -q scipy numpy scikit-learn"
fi
exec "${VENV}/bin/python" "${HERE}/make_fixtures.py"
