import duckdb from '@duckdb/node-bindings';
import { BIGINT, DuckDBTableFunction } from '@duckdb/node-api';
import { CHUNK_ROWS, ChunkColumnEncoder, chunkColumnEncoder } from './chunk-encoders';
import { ColumnarTable } from './columnar-table';
import { duckdbTypeOf } from './duckdb-column-types';

/** SQL name of the table function that streams a registered ColumnarTable into a query. */
export const COLUMNAR_SCAN = 'flowsentry_columnar_scan';

/**
 * A table waiting to be read by `flowsentry_columnar_scan(<id>)`. DuckDB pulls it one chunk at a
 * time, so a COPY encodes Parquet straight from the JS arrays: no second copy of the whole table
 * inside DuckDB (as an appender into a temp table would make, and flush, before the COPY could
 * start), and the event loop runs between chunks instead of being held for the whole table.
 */
export class ColumnarScan {
  readonly id: number;
  /** The first failure inside a DuckDB callback; DuckDB only carries its message back. */
  failure: unknown;
  private readonly encoders: ChunkColumnEncoder[];
  private nextRow = 0;

  constructor(readonly table: ColumnarTable) {
    this.id = ++lastScanId;
    this.encoders = table.columns.map(chunkColumnEncoder);
  }

  /** Fills `chunk` with the next rows; returns how many (0 once the table is exhausted). */
  fill(chunk: duckdb.DataChunk): number {
    const rows = Math.min(CHUNK_ROWS, this.table.rowCount - this.nextRow);
    duckdb.data_chunk_set_size(chunk, rows);
    for (let c = 0; c < this.encoders.length; c++) {
      this.encoders[c](duckdb.data_chunk_get_vector(chunk, c), this.nextRow, rows);
    }
    this.nextRow += rows;
    return rows;
  }
}

let lastScanId = 0;
const pending = new Map<number, ColumnarScan>();

/** Makes `scan` visible to the table function until `release` is called. */
export function registerScan(scan: ColumnarScan): { release(): void } {
  pending.set(scan.id, scan);
  return { release: () => pending.delete(scan.id) };
}

export function createColumnarScanFunction(): DuckDBTableFunction {
  return DuckDBTableFunction.create({
    name: COLUMNAR_SCAN,
    parameterTypes: [BIGINT],
    bindFunction: (info) => {
      const scan = pending.get(Number(info.getParameter(0)));
      if (!scan) {
        info.setError(`${COLUMNAR_SCAN}: no table is registered under that id`);
        return;
      }
      for (const column of scan.table.columns) info.addResultColumn(column.name, duckdbTypeOf(column.type));
      info.setCardinality(scan.table.rowCount, true);
      info.setBindData(scan);
    },
    initFunction: (info) => {
      info.setMaxThreads(1);
    },
    mainFunction: (info, output) => {
      const scan = info.getBindData() as ColumnarScan;
      try {
        scan.fill(output.chunk);
      } catch (error) {
        scan.failure ??= error;
        duckdb.data_chunk_set_size(output.chunk, 0);
        info.setError(error instanceof Error ? error.message : String(error));
      }
    },
  });
}

/**
 * The failure raised inside the scan when there was one (a bad value), otherwise DuckDB's own
 * error, left as it is: a full disk is not the caller's input and may pass on a retry.
 */
export function scanError(scan: ColumnarScan, duckdbError: unknown): unknown {
  return scan.failure !== undefined ? scan.failure : duckdbError;
}
