export type { ColumnData, ColumnType, ColumnarTable } from './columnar-table';
export { COLUMN_TYPES } from './columnar-table';
export type { ParquetErrorCode } from './parquet-error';
export { ParquetError } from './parquet-error';
export type { ParquetCompression, WriteParquetOptions } from './write-parquet';
export { DEFAULT_ROW_GROUP_SIZE, writeParquet } from './write-parquet';
export type { ReadParquetOptions } from './read-parquet';
export { readParquet } from './read-parquet';
