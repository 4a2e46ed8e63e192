"""Prints how two independent readers see a Parquet file, as one JSON object on stdout.

Usage: inspect_parquet.py FILE.parquet   (run with the venv from ensure-venv.sh)

{"pyarrow": {"rows": N, "schema": [[name, type], ...], "sample": [first 3 rows as objects]},
 "duckdb":  {"rows": N, "schema": [[name, type], ...]}}

Integration tests call it to check that SILVER files written by libs/storage are read by
something other than the DuckDB build that wrote them. The product never runs Python.
"""

import base64
import datetime
import decimal
import json
import math
import sys

import duckdb
import pyarrow.parquet as pq


def jsonable(value):
    """Sample values in a form JSON keeps exactly: times as ISO strings, NaN as the string "NaN"."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    return value


def inspect_with_pyarrow(path):
    parquet = pq.ParquetFile(path)
    schema = parquet.schema_arrow
    sample = parquet.read().slice(0, 3).to_pylist() if parquet.metadata.num_rows else []
    return {
        "rows": parquet.metadata.num_rows,
        "schema": [[field.name, str(field.type)] for field in schema],
        "sample": [jsonable(row) for row in sample],
    }


def inspect_with_duckdb(path):
    connection = duckdb.connect()
    try:
        described = connection.execute("DESCRIBE SELECT * FROM read_parquet(?)", [path]).fetchall()
        (rows,) = connection.execute("SELECT count(*) FROM read_parquet(?)", [path]).fetchone()
    finally:
        connection.close()
    return {"rows": rows, "schema": [[name, column_type] for name, column_type, *_ in described]}


def main(argv):
    if len(argv) != 2:
        print("usage: inspect_parquet.py FILE.parquet", file=sys.stderr)
        return 2
    path = argv[1]
    report = {"pyarrow": inspect_with_pyarrow(path), "duckdb": inspect_with_duckdb(path)}
    json.dump(report, sys.stdout, ensure_ascii=False, allow_nan=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
