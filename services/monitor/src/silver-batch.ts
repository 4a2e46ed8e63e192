import { CellValue } from '@flowsentry/ml';
import { isNotFoundError, ObjectRef, ObjectStore, parseRef, readParquet, sha256Hex, SilverDatasetRef, SilverReadError, SilverRows, SilverValue } from '@flowsentry/storage';

/**
 * Every column of one SILVER object, verified against the sha256 its silver.ready carried.
 *
 * Every column rather than a named list (readSilverRows): the data-quality checks exist to see a
 * batch whose columns are not what the champion was trained on, and a named read of such a file
 * fails on the first missing column before anything could be reported. A batch of a few thousand
 * rows decodes in well under a second either way.
 */
export async function readSilverBatch(objects: Pick<ObjectStore, 'get'>, dataset: SilverDatasetRef): Promise<SilverRows> {
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
  const table = await readParquet(bytes);
  return {
    rowCount: table.rowCount,
    names: table.columns.map((c) => c.name),
    types: table.columns.map((c) => c.type),
    columns: table.columns.map((c) => c.values as readonly SilverValue[]),
    datasets: [{ ref: dataset, firstRow: 0, rows: table.rowCount }],
  };
}

/** One column by name, or undefined when the batch lacks it. */
export function columnOf(rows: Pick<SilverRows, 'names' | 'columns'>, name: string): readonly SilverValue[] | undefined {
  const index = rows.names.indexOf(name);
  return index < 0 ? undefined : rows.columns[index];
}

/**
 * A SILVER column as libs/ml's drift code reads it (CellValue): numbers as a Float64Array (NaN for
 * null, so baselines and checks read it without boxing), int64 bigints as numbers, anything holding
 * a string as it is.
 */
export function cellValues(values: readonly SilverValue[]): ArrayLike<CellValue> {
  const numbers = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number') numbers[i] = v;
    else if (typeof v === 'bigint') numbers[i] = Number(v);
    else if (v === null || v === undefined) numbers[i] = NaN;
    else return values.map((x) => (typeof x === 'bigint' ? Number(x) : typeof x === 'boolean' ? String(x) : x));
  }
  return numbers;
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
