#!/usr/bin/env bash
# Parquet interoperability check: a file written by libs/storage's writeParquet must be read by
# pyarrow and by DuckDB's Python build with the expected types. Not part of the unit tests
# because it needs Python (venv created on first use by ensure-venv.sh).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
source "$ROOT/tools/checks/parquet/ensure-venv.sh"
cd "$ROOT"
PARQUET_PYTHON="$PARQUET_PYTHON" exec node --import tsx tools/checks/parquet/check.ts
