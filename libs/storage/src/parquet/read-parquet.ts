import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import duckdb from '@duckdb/node-bindings';
import { DuckDBConnection } from '@duckdb/node-api';
import { chunkColumnDecoder, ColumnValue } from './chunk-decoders';
import { ColumnarTable, ColumnType } from './columnar-table';
import { readAs } from './duckdb-column-types';
import { sqlIdentifier, sqlString, withConnection, withTempDir } from './duckdb-engine';
import { ParquetError } from './parquet-error';

export interface ReadParquetOptions {
  /** Only these columns, returned in this order; default all, in file order. */
  columns?: string[];
}

interface FileColumn {
  name: string;
  type: ColumnType;
  /** SQL that yields the column in the layout its decoder expects. */
  expression: string;
}

/**
 * Decodes a Parquet file held in memory. DuckDB cannot read a JS buffer (and httpfs is not
 * available), so the bytes go through a private temp file. Values come back as numbers for
 * double, int32 and timestamp_ms (epoch ms), bigint for int64, null where missing.
 */
export async function readParquet(bytes: Buffer, options: ReadParquetOptions = {}): Promise<ColumnarTable> {
  if (!Buffer.isBuffer(bytes)) throw new ParquetError('parquet.unreadable', 'readParquet expects a Buffer');
  return withTempDir(async (dir) => {
    const file = join(dir, 'table.parquet');
    await writeFile(file, bytes);
    return withConnection(async (connection) => {
      const source = `read_parquet(${sqlString(file)})`;
      const columns = selectColumns(await fileColumns(connection, source), options.columns);
      // Sized from the footer up front: growing million-value arrays by push took 2–3× as long as storing into them.
      const rowCount = await fileRowCount(connection, file);
      const values: ColumnValue[][] = columns.map(() => new Array<ColumnValue>(rowCount));
      const decoders = columns.map((column) => chunkColumnDecoder(column.type));
      const result = await connection.stream(`SELECT ${columns.map((c) => c.expression).join(', ')} FROM ${source}`);
      let read = 0;
      for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        const rows = chunk.rowCount;
        if (read + rows > rowCount) throw new ParquetError('parquet.unreadable', `the file holds more rows than its footer's ${rowCount}`);
        for (let c = 0; c < columns.length; c++) decoders[c](duckdb.data_chunk_get_vector(chunk.chunk, c), rows, values[c], read);
        read += rows;
      }
      if (read !== rowCount) throw new ParquetError('parquet.unreadable', `the file holds ${read} rows, its footer says ${rowCount}`);
      return { rowCount, columns: columns.map(({ name, type }, c) => ({ name, type, values: values[c] })) };
    });
  });
}

async function fileColumns(connection: DuckDBConnection, source: string): Promise<FileColumn[]> {
  let described;
  try {
    described = await connection.run(`SELECT * FROM ${source} LIMIT 0`);
  } catch (error) {
    throw new ParquetError('parquet.unreadable', `not a readable Parquet file: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return described.columnNames().map((name, c) => {
    const duckdbType = described.columnType(c);
    const plan = readAs(duckdbType.typeId, sqlIdentifier(name));
    if (!plan) throw new ParquetError('parquet.unsupported-schema', `column "${name}" has type ${duckdbType.toString()}, which maps to no ColumnType`);
    return { name, ...plan };
  });
}

async function fileRowCount(connection: DuckDBConnection, file: string): Promise<number> {
  const footer = await connection.runAndReadAll(`SELECT num_rows FROM parquet_file_metadata(${sqlString(file)})`);
  return Number(footer.getRowsJS()[0][0]);
}

function selectColumns(available: FileColumn[], wanted: string[] | undefined): FileColumn[] {
  if (!wanted) return available;
  const byName = new Map(available.map((column) => [column.name, column]));
  const seen = new Set<string>();
  return wanted.map((name) => {
    const column = byName.get(name);
    if (!column) throw new ParquetError('parquet.unsupported-schema', `no column "${name}" in the file; it has ${available.map((c) => c.name).join(', ')}`);
    if (seen.has(name)) throw new ParquetError('parquet.unsupported-schema', `column "${name}" requested twice`);
    seen.add(name);
    return column;
  });
}
