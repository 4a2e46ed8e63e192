import { AnomalyAlgorithm, FeaturePipeline, FeatureRecipe, SeededRandom } from '@flowsentry/ml';
import { ColumnarTable, SilverValue } from '@flowsentry/storage';
import { fitDetector } from '../../../test/support/fitted-detectors';

/**
 * Synthetic SILVER-shaped flows for evaluator tests: three per-flow doubles named like SILVER
 * columns, a conn_state, a label and an event time. Normal flows are standard normal on every
 * feature; an attack flow sits far out on `log_bytes_out` and a little out on `src_distinct_dst_ports_1m`,
 * so a model reading log_bytes_out separates attacks almost perfectly and one reading only the other two
 * features does so weakly (better than chance, clearly worse).
 */
export const FEATURE_COLUMNS = ['log_bytes_out', 'src_distinct_dst_ports_1m', 'log_duration'] as const;

export interface FlowOptions {
  seed: number;
  /** Every n-th flow is an attack (0: none). */
  attackEvery?: number;
  attackLabel?: string;
  /** Labels left out entirely (production traffic). */
  unlabelled?: boolean;
  firstTs?: number;
}

export function syntheticFlows(rows: number, options: FlowOptions): ColumnarTable {
  const random = new SeededRandom(options.seed);
  const normal = () => {
    // Box–Muller: two uniforms give one standard normal.
    const u = Math.max(random.nextDouble(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  };
  const cols: Record<string, number[]> = Object.fromEntries(FEATURE_COLUMNS.map((c) => [c, new Array<number>(rows)]));
  const label: Array<string | null> = new Array(rows);
  const state: string[] = new Array(rows);
  const ts: number[] = new Array(rows);
  const ids: string[] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const attack = options.attackEvery ? i % options.attackEvery === options.attackEvery - 1 : false;
    cols.log_bytes_out![i] = attack ? 6 + 0.5 * normal() : normal();
    cols.src_distinct_dst_ports_1m![i] = attack ? 1.2 + normal() : normal();
    cols.log_duration![i] = normal();
    state[i] = attack ? 'S0' : random.nextDouble() < 0.9 ? 'SF' : 'REJ';
    label[i] = options.unlabelled ? null : attack ? (options.attackLabel ?? 'exfiltration') : 'normal';
    ts[i] = (options.firstTs ?? 1_764_000_000_000) + i * 10;
    ids[i] = `flow-${options.seed}-${i}`;
  }
  return {
    rowCount: rows,
    columns: [
      { name: 'event_id', type: 'utf8', values: ids },
      { name: 'ts', type: 'timestamp_ms', values: ts },
      ...FEATURE_COLUMNS.map((name) => ({ name, type: 'double' as const, values: cols[name]! })),
      { name: 'conn_state', type: 'utf8', values: state },
      { name: 'label', type: 'utf8', values: label },
    ],
  };
}

/** The table's rows as records, as FeaturePipeline reads them. */
export function recordsOf(table: ColumnarTable): Array<Record<string, SilverValue>> {
  return Array.from({ length: table.rowCount }, (_, i) => Object.fromEntries(table.columns.map((c) => [c.name, c.values[i] as SilverValue])));
}

export const STRONG_FEATURES: FeatureRecipe[] = [
  { kind: 'numeric', name: 'log_bytes_out', field: 'log_bytes_out', transform: 'identity' },
  { kind: 'numeric', name: 'src_distinct_dst_ports_1m', field: 'src_distinct_dst_ports_1m', transform: 'identity' },
];
export const WEAK_FEATURES: FeatureRecipe[] = [
  { kind: 'numeric', name: 'src_distinct_dst_ports_1m', field: 'src_distinct_dst_ports_1m', transform: 'identity' },
  { kind: 'numeric', name: 'log_duration', field: 'log_duration', transform: 'identity' },
];

export interface TrainedModel {
  bytes: Buffer;
  /** Anomaly-score threshold (−offset). */
  threshold: number;
  card: Record<string, unknown>;
}

/**
 * Trains and exports a model the way the trainer does: the offset is the alert-rate quantile of the
 * training rows' score_samples (a forest's contamination; recomputed for LOF and the SVM, which the
 * trainer fits standardised on a subsample).
 */
export function trainModel(
  table: ColumnarTable,
  options: { modelName: string; version: string; recipes: FeatureRecipe[]; alertRate: number; seed?: number; trees?: number; algorithm?: AnomalyAlgorithm },
): TrainedModel {
  const records = recordsOf(table);
  const pipeline = FeaturePipeline.fit(records, options.recipes);
  const matrix = pipeline.transform(records);
  const seed = options.seed ?? 42;
  const meta = { modelName: options.modelName, modelVersion: options.version };
  const detector = fitDetector(matrix, options.algorithm ?? 'isolation-forest', { alertRate: options.alertRate, seed, trees: options.trees ?? 50, lofRows: 1_000, svmComponents: 50 });
  const fitted = { bytes: detector.exportOnnx(pipeline.spec, meta), params: detector.params, offset: detector.offset };
  const bytes = Buffer.from(fitted.bytes);
  const card = { modelName: options.modelName, version: options.version, algorithm: options.algorithm ?? 'isolation-forest', params: fitted.params, seed, featureSpec: pipeline.spec, alertRate: options.alertRate, threshold: -fitted.offset };
  return { bytes, threshold: -fitted.offset, card };
}
