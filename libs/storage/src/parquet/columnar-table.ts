import { ParquetError } from './parquet-error';

export type ColumnType = 'double' | 'int64' | 'int32' | 'utf8' | 'bool' | 'timestamp_ms';

export const COLUMN_TYPES: readonly ColumnType[] = ['double', 'int64', 'int32', 'utf8', 'bool', 'timestamp_ms'];

/**
 * One column, values in row order; `null` is a missing value in every type.
 * Accepted on write: double → number (NaN is written as null); int32 → integer number;
 * int64 → safe-integer number, bigint or decimal string; timestamp_ms → integer epoch-ms number;
 * utf8 → string; bool → boolean.
 * Returned on read: number for double, int32 and timestamp_ms; bigint for int64.
 */
export interface ColumnData {
  name: string;
  type: ColumnType;
  values: ArrayLike<number | bigint | string | boolean | null>;
}

export interface ColumnarTable {
  rowCount: number;
  columns: ColumnData[];
}

/**
 * Checks what can be checked without looking at values, so a malformed table fails before
 * DuckDB is involved. Names are compared case-insensitively because DuckDB binds them that
 * way: `Port` and `port` would otherwise be silently renamed in the file.
 */
export function assertTableShape(table: ColumnarTable): void {
  const { rowCount, columns } = table;
  if (!Number.isSafeInteger(rowCount) || rowCount < 0) {
    throw new ParquetError('parquet.invalid-table', `rowCount must be a non-negative integer, got ${String(rowCount)}`);
  }
  if (!Array.isArray(columns) || columns.length === 0) {
    throw new ParquetError('parquet.invalid-table', 'a Parquet table needs at least one column');
  }
  const seen = new Map<string, string>();
  for (const column of columns) {
    if (typeof column.name !== 'string' || column.name.length === 0) {
      throw new ParquetError('parquet.invalid-table', `column names must be non-empty strings, got ${JSON.stringify(column.name)}`);
    }
    const folded = column.name.toLowerCase();
    const clash = seen.get(folded);
    if (clash !== undefined) {
      throw new ParquetError('parquet.invalid-table', `column "${column.name}" clashes with "${clash}" (names are case-insensitive)`);
    }
    seen.set(folded, column.name);
    if (!COLUMN_TYPES.includes(column.type)) {
      throw new ParquetError('parquet.invalid-table', `column "${column.name}" has unknown type ${JSON.stringify(column.type)}; expected one of ${COLUMN_TYPES.join(', ')}`);
    }
    if (column.values == null || typeof column.values.length !== 'number') {
      throw new ParquetError('parquet.invalid-table', `column "${column.name}" has no values array`);
    }
    if (column.values.length !== rowCount) {
      throw new ParquetError('parquet.invalid-table', `column "${column.name}" has ${column.values.length} values but rowCount is ${rowCount}`);
    }
  }
}
