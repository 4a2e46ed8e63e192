import { SeededRandom } from '@flowsentry/ml';
import { ColumnarTable, ColumnData, formatRef, ObjectRef, sha256Hex, silverRef, writeParquet } from '@flowsentry/storage';
import { CatalogDataset } from '../src/dataset-catalog';
import { modelColumns } from '../src/model-features';

export const FEATURE_VERSION = 'f1.w1-1m-10m';

export interface SilverSpec {
  rows: number;
  seed: number;
  /** Event time of the first row (epoch ms); rows are spread evenly over `spanMs`. */
  startMs: number;
  spanMs: number;
  /** Every n-th row is a labelled attack (0 = none). */
  attackEvery?: number;
  /** Added to the byte counters' logs: a different traffic regime. */
  shift?: number;
  featureVersion?: string;
}

const CONN_STATES = ['SF', 'SF', 'SF', 'SF', 'S0', 'REJ', 'RSTO', 'SF', 'S1', 'SF'];

/**
 * A SILVER-shaped table with the columns the model reads (plus ts and label), from a seeded PRNG:
 * the same spec gives the same table, hence the same Parquet bytes.
 */
export function silverTable(spec: SilverSpec): ColumnarTable {
  const random = new SeededRandom(spec.seed);
  const n = spec.rows;
  const shift = spec.shift ?? 0;
  const columns: ColumnData[] = [];
  const ts = new Float64Array(n);
  for (let i = 0; i < n; i++) ts[i] = spec.startMs + Math.floor((i * spec.spanMs) / Math.max(1, n - 1));
  columns.push({ name: 'ts', type: 'timestamp_ms', values: ts });
  const labels = new Array<string>(n);
  for (let i = 0; i < n; i++) labels[i] = spec.attackEvery && i % spec.attackEvery === 0 ? 'portscan' : 'normal';
  columns.push({ name: 'label', type: 'utf8', values: labels });
  for (const name of modelColumns(spec.featureVersion ?? FEATURE_VERSION)) {
    if (name === 'conn_state') {
      columns.push({ name, type: 'utf8', values: Array.from({ length: n }, () => CONN_STATES[random.nextInt(CONN_STATES.length)]!) });
    } else if (name === 'src_port' || name === 'dst_port') {
      columns.push({ name, type: 'int32', values: Int32Array.from({ length: n }, () => (name === 'dst_port' ? [443, 80, 53, 22][random.nextInt(4)]! : 32768 + random.nextInt(28000))) });
    } else {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const attack = spec.attackEvery && i % spec.attackEvery === 0;
        if (name.startsWith('protocol_')) values[i] = name === 'protocol_tcp' ? 1 : 0;
        else if (name.includes('iat') && random.nextDouble() < 0.2) values[i] = NaN; // no gap yet: null in SILVER
        else if (name.includes('share')) values[i] = attack ? 1 : random.nextDouble();
        else values[i] = (name.startsWith('log_') ? 6 + shift : 1) * (attack ? 3 : 1) * (0.5 + random.nextDouble());
      }
      columns.push({ name, type: 'double', values });
    }
  }
  return { rowCount: n, columns };
}

/** Writes the dataset's Parquet bytes under its SILVER key and returns it as the catalog would list it. */
export async function silverDataset(
  put: (ref: ObjectRef, bytes: Buffer) => Promise<unknown>,
  datasetId: string,
  spec: SilverSpec,
): Promise<CatalogDataset> {
  const bytes = await writeParquet(silverTable(spec));
  const ref = silverRef(datasetId, new Date(spec.startMs).toISOString().slice(0, 10));
  await put(ref, bytes);
  return {
    datasetId,
    silverKey: formatRef(ref),
    sha256: sha256Hex(bytes),
    rows: spec.rows,
    featureVersion: spec.featureVersion ?? FEATURE_VERSION,
    minEventTime: spec.startMs,
    maxEventTime: spec.startMs + spec.spanMs,
  };
}
