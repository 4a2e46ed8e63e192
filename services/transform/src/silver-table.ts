import { ColumnarTable, ColumnData, ColumnType } from '@flowsentry/storage';
import { CleanFlow } from './clean-flows';
import { FLOW_FEATURE_COLUMNS, flowFeaturePipeline, flowFeatureRecords } from './flow-features';

/** Where the rows of one SILVER object came from in Kafka (every row carries it, for lineage). */
export interface SilverSource {
  topic: string;
  partition: number;
  firstOffset: string;
  lastOffset: string;
}

/** The cleaned NetworkEvent columns, typed, in SILVER order (unknown fields are dropped here). */
const EVENT_COLUMNS: ReadonlyArray<readonly [string, ColumnType]> = [
  ['event_id', 'utf8'],
  ['event_key', 'utf8'],
  ['ts', 'timestamp_ms'],
  ['sensor_id', 'utf8'],
  ['src_ip', 'utf8'],
  ['dst_ip', 'utf8'],
  ['src_port', 'int32'],
  ['dst_port', 'int32'],
  ['protocol', 'utf8'],
  ['bytes_in', 'int64'],
  ['bytes_out', 'int64'],
  ['packets_in', 'int64'],
  ['packets_out', 'int64'],
  ['duration_ms', 'double'],
  ['tcp_flags', 'utf8'],
  ['conn_state', 'utf8'],
  ['app_proto', 'utf8'],
  ['label', 'utf8'],
];

const SOURCE_COLUMNS: ReadonlyArray<readonly [string, ColumnType]> = [
  ['source_topic', 'utf8'],
  ['source_partition', 'int32'],
  ['source_first_offset', 'int64'],
  ['source_last_offset', 'int64'],
  ['raw_line', 'int32'],
];

/** Every SILVER column with its type, in file order: the documented schema (docs/ARCHITECTURE.md, "SILVER columns"). */
export function silverSchema(windowColumns: readonly string[]): Array<readonly [string, ColumnType]> {
  return [...EVENT_COLUMNS, ...FLOW_FEATURE_COLUMNS.map((c) => [c, 'double'] as const), ...windowColumns.map((c) => [c, 'double'] as const), ...SOURCE_COLUMNS];
}

/**
 * Columns of one SILVER object from the de-duplicated flows and their window features (a row-major
 * matrix, one row per flow in the same order, `windowColumns` wide).
 *
 * Numeric columns are typed arrays wherever the Parquet writer reads the same values from them
 * (libs/storage ColumnData): double as Float64Array with NaN for null (written as NULL), int32 as
 * Int32Array, int64 counters and timestamps as Float64Array of integers (the writer takes safe-integer
 * numbers). A column whose values do not fit its typed array exactly (a null in an integer column, a
 * non-number, a fraction in int32) is built as a plain array of the values instead, exactly what the
 * writer was always given, so it writes or refuses them as before. Unboxed columns cost no heap
 * number per cell, and statistics and null counts read them without copies.
 */
export function silverTable(flows: readonly CleanFlow[], windows: Float64Array, windowColumns: readonly string[], source: SilverSource): ColumnarTable {
  const n = flows.length;
  const columns: ColumnData[] = [];
  for (const [name, type] of EVENT_COLUMNS) {
    const values = name === 'event_key' ? eventKeys(flows) : name === 'ts' ? eventTimes(flows) : eventColumn(flows, name, type);
    columns.push({ name, type, values });
  }

  const matrix = flowFeaturePipeline.transform(flowFeatureRecords(flows));
  const width = FLOW_FEATURE_COLUMNS.length;
  for (let j = 0; j < width; j++) columns.push({ name: FLOW_FEATURE_COLUMNS[j]!, type: 'double', values: strided(matrix.data, width, j, n) });

  for (let j = 0; j < windowColumns.length; j++) columns.push({ name: windowColumns[j]!, type: 'double', values: strided(windows, windowColumns.length, j, n) });

  columns.push(
    { name: 'source_topic', type: 'utf8', values: new Array<string>(n).fill(source.topic) },
    { name: 'source_partition', type: 'int32', values: constantInt32(n, source.partition) },
    { name: 'source_first_offset', type: 'int64', values: constantInt64(n, source.firstOffset) },
    { name: 'source_last_offset', type: 'int64', values: constantInt64(n, source.lastOffset) },
    { name: 'raw_line', type: 'int32', values: rawLines(flows) },
  );
  return { rowCount: n, columns };
}

type Cell = number | bigint | string | null;
type EventRecord = Readonly<Record<string, unknown>>;

function eventKeys(flows: readonly CleanFlow[]): string[] {
  const values = new Array<string>(flows.length);
  for (let i = 0; i < flows.length; i++) values[i] = flows[i]!.eventKey;
  return values;
}

function eventTimes(flows: readonly CleanFlow[]): ColumnData['values'] {
  const values = new Float64Array(flows.length);
  for (let i = 0; i < flows.length; i++) {
    const ts = flows[i]!.tsMs;
    if (typeof ts !== 'number') return boxed(flows.length, (j) => flows[j]!.tsMs);
    values[i] = ts;
  }
  return values;
}

/** One NetworkEvent field as a column: strings as they are, numbers typed (see silverTable), a missing field as null. */
function eventColumn(flows: readonly CleanFlow[], name: string, type: ColumnType): ColumnData['values'] {
  const n = flows.length;
  const cell = (i: number): Cell => ((flows[i]!.event as EventRecord)[name] as Cell | undefined) ?? null;
  if (type === 'double') {
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = (flows[i]!.event as EventRecord)[name];
      if (typeof v === 'number') values[i] = v;
      else if (v === null || v === undefined) values[i] = NaN;
      else return boxed(n, cell);
    }
    return values;
  }
  if (type === 'int32') {
    const values = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = (flows[i]!.event as EventRecord)[name];
      if (typeof v !== 'number' || (v | 0) !== v) return boxed(n, cell);
      values[i] = v;
    }
    return values;
  }
  if (type === 'int64') {
    // Any number goes in as it is: the writer checks it is a safe integer, as it did on a plain array.
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = (flows[i]!.event as EventRecord)[name];
      if (typeof v !== 'number') return boxed(n, cell);
      values[i] = v;
    }
    return values;
  }
  const values = new Array<Cell>(n);
  for (let i = 0; i < n; i++) values[i] = ((flows[i]!.event as EventRecord)[name] as Cell | undefined) ?? null;
  return values;
}

/** Column j of a row-major matrix of n rows, as features arrive (window features with NaN for no value, written as NULL). */
function strided(matrix: Float32Array | Float64Array, width: number, j: number, n: number): Float64Array {
  const values = new Float64Array(n);
  for (let i = 0, k = j; i < n; i++, k += width) values[i] = matrix[k]!;
  return values;
}

function rawLines(flows: readonly CleanFlow[]): ColumnData['values'] {
  const values = new Int32Array(flows.length);
  for (let i = 0; i < flows.length; i++) {
    const line = flows[i]!.line;
    if ((line | 0) !== line) return boxed(flows.length, (j) => flows[j]!.line);
    values[i] = line;
  }
  return values;
}

function constantInt32(n: number, value: number): ColumnData['values'] {
  return (value | 0) === value ? new Int32Array(n).fill(value) : new Array<number>(n).fill(value);
}

/** The writer's decimal-string rule (chunk-encoders.ts): such a string and its Number are the same int64 when the Number is a safe integer. */
const DECIMAL_INTEGER = /^-?\d{1,19}$/;

/** A Kafka offset (decimal string) for every row: converted once rather than parsed to a BigInt per row by the writer. */
function constantInt64(n: number, value: string): ColumnData['values'] {
  const number = DECIMAL_INTEGER.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(number) ? new Float64Array(n).fill(number) : new Array<string>(n).fill(value);
}

function boxed(n: number, cell: (i: number) => Cell): Cell[] {
  const values = new Array<Cell>(n);
  for (let i = 0; i < n; i++) values[i] = cell(i);
  return values;
}
