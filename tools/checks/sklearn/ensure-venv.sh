# Sourced: creates the check/bench venv once (outside the repo) with the Python side of the comparisons.
VENV="${FLOWSENTRY_VENV:-$HOME/.cache/flowsentry/venv}"
if ! "$VENV/bin/python" -c 'import sklearn, pandas, pyreadr, numpy' 2>/dev/null; then
  echo "creating $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q scikit-learn pandas pyreadr numpy
fi
