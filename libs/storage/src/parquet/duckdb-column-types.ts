import { BIGINT, BOOLEAN, DOUBLE, DuckDBType, DuckDBTypeId, INTEGER, TIMESTAMP_MS, VARCHAR } from '@duckdb/node-api';
import { ColumnType } from './columnar-table';

/**
 * timestamp_ms is DuckDB's TIMESTAMP_MS, which its Parquet writer stores as
 * TIMESTAMP(MILLIS, isAdjustedToUTC=false): pyarrow reads timestamp[ms] without a zone. The only
 * UTC-adjusted type DuckDB writes is TIMESTAMPTZ, always in MICROS; millisecond precision that
 * every reader keeps as-is was preferred. The values are UTC epoch-ms all the same.
 */
const DUCKDB_TYPE: Record<ColumnType, DuckDBType> = {
  double: DOUBLE,
  int64: BIGINT,
  int32: INTEGER,
  utf8: VARCHAR,
  bool: BOOLEAN,
  timestamp_ms: TIMESTAMP_MS,
};

const COLUMN_TYPE_BY_ID = new Map<DuckDBTypeId, ColumnType>([
  [DuckDBTypeId.DOUBLE, 'double'],
  [DuckDBTypeId.BIGINT, 'int64'],
  [DuckDBTypeId.INTEGER, 'int32'],
  [DuckDBTypeId.VARCHAR, 'utf8'],
  [DuckDBTypeId.BOOLEAN, 'bool'],
]);

/**
 * DuckDB reads a Parquet TIMESTAMP(MILLIS) back as TIMESTAMP (µs), and files from other writers
 * carry other units or UTC adjustment; all become epoch ms through `epoch_ms`, which truncates
 * any sub-millisecond part.
 */
const TIMESTAMP_IDS = new Set<DuckDBTypeId>([
  DuckDBTypeId.TIMESTAMP,
  DuckDBTypeId.TIMESTAMP_MS,
  DuckDBTypeId.TIMESTAMP_S,
  DuckDBTypeId.TIMESTAMP_NS,
  DuckDBTypeId.TIMESTAMP_TZ,
]);

export function duckdbTypeOf(type: ColumnType): DuckDBType {
  return DUCKDB_TYPE[type];
}

/** How to select a file column as a ColumnType; undefined when none fits (the reader reports it). */
export function readAs(typeId: DuckDBTypeId, quotedName: string): { type: ColumnType; expression: string } | undefined {
  if (TIMESTAMP_IDS.has(typeId)) return { type: 'timestamp_ms', expression: `epoch_ms(${quotedName})` };
  const type = COLUMN_TYPE_BY_ID.get(typeId);
  return type && { type, expression: quotedName };
}
