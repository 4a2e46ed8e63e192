import { FlowsentryError } from '@flowsentry/contracts';
import { sha256Hex } from '../checksum';
import { ObjectRef, parseRef } from '../layers';
import { isNotFoundError } from '../object-store';
import { ColumnType } from '../parquet/columnar-table';
import { readParquet } from '../parquet/read-parquet';

export type SilverReadErrorCode = 'missing-object' | 'hash-mismatch' | 'bad-object-ref';

/** A SILVER object named by an event is not there, or not what the event says: no retry fixes that. */
export class SilverReadError extends FlowsentryError {
  constructor(code: SilverReadErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, false, options);
  }
}

/** A SILVER object as events name it: `silver/<key>` and the sha256 of its bytes. */
export interface SilverDatasetRef {
  key: string;
  sha256: string;
}

export type SilverValue = number | bigint | string | boolean | null;

/** Rows of several SILVER objects, column by column, in the order the datasets were given. */
export interface SilverRows {
  rowCount: number;
  names: readonly string[];
  types: readonly ColumnType[];
  columns: ReadonlyArray<readonly SilverValue[]>;
  /** Per dataset, in order: the range of rows it contributed. */
  datasets: ReadonlyArray<{ ref: SilverDatasetRef; firstRow: number; rows: number }>;
}

/**
 * Reads the named columns of SILVER objects, verifying each object's bytes against the hash the
 * event carried: a model is trained, judged and watched only on the exact bytes its lineage names.
 */
export async function readSilverRows(
  objects: { get(ref: ObjectRef): Promise<Buffer> },
  datasets: readonly SilverDatasetRef[],
  columns: readonly string[],
  onObject?: () => Promise<void>,
): Promise<SilverRows> {
  const parts = [];
  for (const dataset of datasets) {
    const bytes = await readVerifiedSilver(objects, dataset);
    parts.push({ ref: dataset, table: await readParquet(bytes, { columns: [...columns] }) });
    await onObject?.();
  }
  const rowCount = parts.reduce((n, p) => n + p.table.rowCount, 0);
  const out: SilverValue[][] = columns.map(() => new Array<SilverValue>(rowCount));
  const spans = [];
  let at = 0;
  for (const part of parts) {
    part.table.columns.forEach((column, c) => {
      const target = out[c]!;
      for (let i = 0; i < part.table.rowCount; i++) target[at + i] = column.values[i] as SilverValue;
    });
    spans.push({ ref: part.ref, firstRow: at, rows: part.table.rowCount });
    at += part.table.rowCount;
  }
  const types = parts[0]?.table.columns.map((c) => c.type) ?? columns.map(() => 'double' as ColumnType);
  return { rowCount, names: [...columns], types, columns: out, datasets: spans };
}

/** The bytes of one SILVER object, checked against the sha256 its event named. */
export async function readVerifiedSilver(objects: { get(ref: ObjectRef): Promise<Buffer> }, dataset: SilverDatasetRef): Promise<Buffer> {
  const ref = silverObjectRef(dataset.key);
  let bytes: Buffer;
  try {
    bytes = await objects.get(ref);
  } catch (err) {
    if (isNotFoundError(err)) throw new SilverReadError('missing-object', `SILVER object ${dataset.key} does not exist`, { cause: err });
    throw err;
  }
  const actual = sha256Hex(bytes);
  if (actual !== dataset.sha256) throw new SilverReadError('hash-mismatch', `SILVER object ${dataset.key} has sha256 ${actual}, the event names ${dataset.sha256}`);
  return bytes;
}

/** Row `i` as a record of its columns (what FeaturePipeline reads). */
export function silverRecords(rows: SilverRows, from = 0, to = rows.rowCount): Array<Record<string, SilverValue>> {
  const records = new Array<Record<string, SilverValue>>(to - from);
  for (let i = from; i < to; i++) {
    const record: Record<string, SilverValue> = {};
    for (let c = 0; c < rows.names.length; c++) record[rows.names[c]!] = rows.columns[c]![i]!;
    records[i - from] = record;
  }
  return records;
}

function silverObjectRef(key: string): ObjectRef {
  let ref: ObjectRef;
  try {
    ref = parseRef(key);
  } catch (err) {
    throw new SilverReadError('bad-object-ref', `not an object reference: ${key}`, { cause: err });
  }
  if (ref.layer !== 'silver') throw new SilverReadError('bad-object-ref', `${key} is not in the SILVER layer`);
  return ref;
}
