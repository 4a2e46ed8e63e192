import { FlowsentryError } from '@flowsentry/contracts';

export type ParquetErrorCode =
  /** The table handed to writeParquet cannot be written: wrong shape or a value of the wrong kind. */
  | 'parquet.invalid-table'
  /** The bytes are not a Parquet file DuckDB can open. */
  | 'parquet.unreadable'
  /** The file holds a column whose type has no ColumnType, or a requested column is missing. */
  | 'parquet.unsupported-schema';

/** None of these is retriable: the same input fails again, so a step dead-letters it with the code as the reason. */
export class ParquetError extends FlowsentryError {
  constructor(code: ParquetErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, false, options);
  }
}
