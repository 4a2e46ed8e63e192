# Sourced (or run, to print the interpreter): creates the Parquet check venv once, outside the repo,
# with the three independent readers that SILVER files must satisfy: pyarrow, DuckDB's Python
# build and Spark (pyspark runs its bundled Spark on the machine's Java 17). Sets PARQUET_PYTHON.
PARQUET_VENV="${FLOWSENTRY_CACHE:-$HOME/.cache/flowsentry}/venv-parquet"
if ! command -v java >/dev/null; then
  echo "ensure-venv: Spark needs a Java 17 runtime on PATH (the one the local stack's Kafka runs on)" >&2
  return 1 2>/dev/null || exit 1
fi
if ! "$PARQUET_VENV/bin/python" -c 'import pyarrow, duckdb, pyspark' 2>/dev/null; then
  echo "creating $PARQUET_VENV (pyarrow, duckdb, pyspark: ~0.5 GB, once)" >&2
  python3 -m venv "$PARQUET_VENV"
  # Spark 4 runs on Java 17 and 21; 5 may not.
  "$PARQUET_VENV/bin/pip" install -q pyarrow duckdb 'pyspark>=4,<5' >&2
fi
PARQUET_PYTHON="$PARQUET_VENV/bin/python"
if [ "${BASH_SOURCE[0]}" = "$0" ]; then echo "$PARQUET_PYTHON"; fi
