import { buildBaseline, ColumnKind, MonitorStatistics } from '@flowsentry/ml';
import { ColumnarTable, ColumnData } from '@flowsentry/storage';

/** What happened to a batch's lines on their way to SILVER. */
export interface BatchQuality {
  inputRows: number;
  duplicates: number;
  dropped: Record<string, number>;
}

/** SageMaker Model Monitor's statistics.json plus flowsentry's batch accounting, namespaced so Model Monitor readers ignore it. */
export type SilverStatistics = MonitorStatistics & { flowsentry: { input_rows: number; output_rows: number; duplicates: number; dropped: Record<string, number> } };

/** Columns that are identities or lineage, not data a distribution says anything about. */
const NOT_PROFILED = new Set(['event_id', 'event_key', 'ts', 'source_topic', 'source_partition', 'source_first_offset', 'source_last_offset', 'raw_line']);
/** High-cardinality text: checked for type and completeness, summarised by its most frequent values. */
const STRING_COLUMNS = new Set(['src_ip', 'dst_ip', 'sensor_id']);
const CATEGORICAL_COLUMNS = new Set(['protocol', 'conn_state', 'app_proto', 'tcp_flags', 'label']);

/**
 * `k` of the per-batch quantile sketches. A batch has ~5,000 rows, so the default (2,048) kept about
 * half of every numeric column, and statistics.json came out as big as the Parquet file (~510 KB;
 * ~80 KB with 128). With 128 the sketch keeps between 64 and 128 evenly spaced order statistics (78
 * for 5,000 rows), each standing for fewer than n/64 values, so a quantile read from it is off by
 * less than 1% of rank: all that a person or a dashboard reading p50/p95 of one batch can use.
 * Counts, min/max, mean, std and the histogram are exact whatever `k` is. Nothing tests drift
 * against these sketches: the monitor builds its own baseline (with an exact reference sample)
 * from the champion's data.
 */
const SKETCH_K = 128;

/**
 * Per-dataset data quality: % missing per column, min/max/mean/std and a histogram per numeric
 * column, counts per category, in Model Monitor's statistics.json shape (the ML core writes the
 * same shape for model baselines, so one reader serves both). The reservoir sample the ML core
 * can keep for exact drift tests is left out (`sampleCapacity: 0`): per-batch statistics are read
 * by people and dashboards, and the monitor builds its own baseline from the champion's data.
 * Columns are handed to the ML core as they are (typed arrays included), without copies.
 */
export function silverStatistics(table: ColumnarTable, quality: BatchQuality): SilverStatistics {
  const columns: Record<string, ArrayLike<number | string | null>> = {};
  const columnKinds: Record<string, ColumnKind> = {};
  for (const column of table.columns) {
    if (NOT_PROFILED.has(column.name)) continue;
    if (STRING_COLUMNS.has(column.name)) columnKinds[column.name] = 'string';
    else if (CATEGORICAL_COLUMNS.has(column.name)) columnKinds[column.name] = 'categorical';
    else columnKinds[column.name] = 'numeric';
    columns[column.name] = column.type === 'int64' ? int64AsNumbers(column.values) : (column.values as ArrayLike<number | string | null>);
  }
  const statistics = table.rowCount > 0 ? buildBaseline(columns, { columnKinds, sampleCapacity: 0, sketchK: SKETCH_K }).statistics : { version: 0, dataset: { item_count: 0 }, features: [] };
  return {
    ...statistics,
    flowsentry: { input_rows: quality.inputRows, output_rows: table.rowCount, duplicates: quality.duplicates, dropped: quality.dropped },
  };
}

/**
 * An int64 column as numbers: as it is when it already holds only numbers and nulls (a typed
 * array, or the safe-integer numbers SILVER writes), else a copy with bigints and decimal strings
 * converted by Number.
 */
function int64AsNumbers(values: ColumnData['values']): ArrayLike<number | null> {
  if (ArrayBuffer.isView(values) && !(values instanceof BigInt64Array) && !(values instanceof BigUint64Array)) return values as unknown as ArrayLike<number>;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' && v !== null) return Array.from(values, (x) => (x === null ? null : Number(x)));
  }
  return values as ArrayLike<number | null>;
}

/** Share of missing values (null, or NaN in a number column) per column, for the `silver.ready` summary. */
export function nullRatios(table: ColumnarTable): Record<string, number> {
  const ratios: Record<string, number> = {};
  const rows = table.rowCount;
  for (const column of table.columns) {
    const values = column.values;
    let missing = 0;
    if (values instanceof Float64Array || values instanceof Float32Array) {
      for (let i = 0; i < rows; i++) if (values[i] !== values[i]) missing++;
    } else if (!ArrayBuffer.isView(values)) {
      for (let i = 0; i < rows; i++) {
        const v = values[i];
        if (v === null || (typeof v === 'number' && v !== v)) missing++;
      }
    } // Integer typed arrays hold no missing values.
    ratios[column.name] = rows === 0 ? 0 : missing / rows;
  }
  return ratios;
}
