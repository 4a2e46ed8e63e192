#!/usr/bin/env bash
# Prints the interpreter of the Parquet check venv, creating it once, outside the repo, with the
# three independent readers that SILVER files must satisfy: pyarrow, DuckDB's Python build and
# Spark. pyspark runs its bundled Spark on Java 17, found or installed as the local stack's Kafka
# gets it (need_cmd).
set -euo pipefail
# shellcheck source=../../stack/lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../stack/lib/common.sh"
ensure_layout
need_cmd java openjdk-17-jre-headless
PARQUET_VENV="$CACHE/venv-parquet"
if ! "$PARQUET_VENV/bin/python" -c 'import pyarrow, duckdb, pyspark' 2>/dev/null; then
  echo "creating $PARQUET_VENV (pyarrow, duckdb, pyspark: ~0.5 GB, once)" >&2
  python3 -m venv "$PARQUET_VENV"
  # Spark 4 runs on Java 17 and 21; 5 may not.
  "$PARQUET_VENV/bin/pip" install -q pyarrow duckdb 'pyspark>=4,<5' >&2
fi
echo "$PARQUET_VENV/bin/python"
