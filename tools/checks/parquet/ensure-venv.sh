# Sourced (or run, to print the interpreter): creates the Parquet check venv once, outside the repo,
# with the two independent readers that SILVER files must satisfy. Sets PARQUET_PYTHON.
PARQUET_VENV="${FLOWSENTRY_CACHE:-$HOME/.cache/flowsentry}/venv-parquet"
if ! "$PARQUET_VENV/bin/python" -c 'import pyarrow, duckdb' 2>/dev/null; then
  echo "creating $PARQUET_VENV" >&2
  python3 -m venv "$PARQUET_VENV"
  "$PARQUET_VENV/bin/pip" install -q pyarrow duckdb
fi
PARQUET_PYTHON="$PARQUET_VENV/bin/python"
if [ "${BASH_SOURCE[0]}" = "$0" ]; then echo "$PARQUET_PYTHON"; fi
