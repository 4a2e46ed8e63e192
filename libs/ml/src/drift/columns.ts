/**
 * Input shape for baselines and batches: column-oriented, `{ column: values[] }`, one array per
 * column, all of the same length (a row is the same index in every array). This is how SILVER
 * Parquet is read and lets numeric columns arrive as typed arrays without copying. Missing cells
 * are null, undefined or NaN. Row objects convert with rowsToColumns.
 */
export type CellValue = number | string | null | undefined;
export type ColumnarBatch = Readonly<Record<string, ArrayLike<CellValue>>>;

export function rowsToColumns(rows: ReadonlyArray<Readonly<Record<string, CellValue>>>): Record<string, CellValue[]> {
  const names = new Set<string>();
  for (const row of rows) for (const k of Object.keys(row)) names.add(k);
  const out: Record<string, CellValue[]> = {};
  for (const name of names) out[name] = rows.map((r) => r[name] ?? null);
  return out;
}

export function rowCount(batch: ColumnarBatch): number {
  let n = 0;
  for (const values of Object.values(batch)) n = Math.max(n, values.length);
  return n;
}

export type CellType = 'missing' | 'Integral' | 'Fractional' | 'String';

export function cellType(v: CellValue): CellType {
  if (v === null || v === undefined) return 'missing';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return 'missing';
    return Number.isInteger(v) ? 'Integral' : 'Fractional';
  }
  return 'String';
}
