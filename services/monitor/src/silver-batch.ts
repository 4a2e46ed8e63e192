import { CellValue } from '@flowsentry/ml';
import { ObjectStore, readParquet, readVerifiedSilver, SilverDatasetRef, SilverRows, SilverValue } from '@flowsentry/storage';

/**
 * Every column of one SILVER object, verified against the sha256 its silver.ready carried.
 *
 * Every column rather than a named list (readSilverRows): the data-quality checks exist to see a
 * batch whose columns are not what the champion was trained on, and a named read of such a file
 * fails on the first missing column before anything could be reported. A batch of a few thousand
 * rows decodes in well under a second either way.
 */
export async function readSilverBatch(objects: Pick<ObjectStore, 'get'>, dataset: SilverDatasetRef): Promise<SilverRows> {
  const table = await readParquet(await readVerifiedSilver(objects, dataset));
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
