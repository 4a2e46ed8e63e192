"""Prints how three independent readers see a Parquet file, as one JSON object on stdout.

Usage: inspect_parquet.py FILE.parquet [SAMPLE_ROWS=3]   (run with the venv from ensure-venv.sh)

{"pyarrow": {"rows": N, "schema": [[name, type], ...], "sample": [first SAMPLE_ROWS rows as objects]},
 "duckdb":  {"rows": N, "schema": [[name, type], ...]},
 "spark":   {"rows": N, "schema": [[name, type], ...], "sample": [first SAMPLE_ROWS rows as objects]}}

Integration tests call it to check that SILVER files written by libs/storage are read by
something other than the DuckDB build that wrote them. The product never runs Python.
Spark runs in this process's JVM in local mode (about 15 s to start); its logs go to stderr.
"""

import base64
import datetime
import decimal
import json
import math
import os
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


def inspect_with_pyarrow(path, sample_rows):
    parquet = pq.ParquetFile(path)
    schema = parquet.schema_arrow
    sample = parquet.read().slice(0, sample_rows).to_pylist() if parquet.metadata.num_rows else []
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


def inspect_with_spark(path, sample_rows):
    # The driver binds to loopback: the host name may resolve to an address nothing listens on.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[1]")
        .appName("flowsentry-inspect-parquet")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        # Instants print in UTC whatever the machine's zone, like the other two readers.
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    try:
        spark.sparkContext.setLogLevel("ERROR")
        frame = spark.read.parquet(path)
        # One file read by one task: take() returns its first rows in file order.
        return {
            "rows": frame.count(),
            "schema": [[field.name, field.dataType.simpleString()] for field in frame.schema.fields],
            "sample": [jsonable(row.asDict()) for row in frame.take(sample_rows)],
        }
    finally:
        spark.stop()


def main(argv):
    if len(argv) not in (2, 3):
        print("usage: inspect_parquet.py FILE.parquet [SAMPLE_ROWS=3]", file=sys.stderr)
        return 2
    path = argv[1]
    sample_rows = int(argv[2]) if len(argv) == 3 else 3
    report = {
        "pyarrow": inspect_with_pyarrow(path, sample_rows),
        "duckdb": inspect_with_duckdb(path),
        "spark": inspect_with_spark(path, sample_rows),
    }
    json.dump(report, sys.stdout, ensure_ascii=False, allow_nan=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
