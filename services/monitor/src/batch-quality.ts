import { CellValue, checkBatch, ConstraintViolation, DriftReport } from '@flowsentry/ml';
import { SilverRows } from '@flowsentry/storage';
import { ChampionBaseline, ReferenceBaseline } from './champion-baseline';
import { cellValues } from './silver-batch';
import { streamOf } from './source-stream';
import { ValueRangeViolation, valueRangeViolations } from './value-range-check';

export type MonitorViolation = ConstraintViolation | ValueRangeViolation;

/** One batch judged against the champion's baseline. */
export interface BatchQuality {
  /** libs/ml's per-feature drift tests and the dataset drift share, against `reference`. */
  drift: DriftReport;
  /** The distribution the batch was compared with: its source stream's training rows, or all of them (stream null). */
  reference: { stream: string | null; baseline: ReferenceBaseline };
  /** constraint_violations.json: Model Monitor's checks plus value_range_check. */
  violations: MonitorViolation[];
  /**
   * The violations that say the data is broken: every check but baseline_drift_check. Drift of a
   * distribution is what the drift rule judges (over consecutive batches); paging someone for it
   * batch by batch would page them for the time of day.
   */
  dataQuality: MonitorViolation[];
}

/**
 * Checks a batch against the champion's baseline. Its data quality, on every row, (types, completeness,
 * categories, value range; the batch's columns against the training SILVER's: a column training
 * did not have is extra, a feature column the batch lacks is missing) against all training rows:
 * a value is valid or not whatever stream it came from. Its distributions against the training
 * rows of its own source stream when the baseline has them (source-stream.ts), since one stream's
 * traffic always differs from the whole network's, and on `driftRows` only when given (the flows
 * the champion does not flag, see SilverReadyHandler's driftSample).
 */
export function judgeBatchQuality(
  champion: ChampionBaseline,
  rows: Pick<SilverRows, 'rowCount' | 'names' | 'columns'>,
  options: { driftShare: number; /** The rows distributions are compared on (default all). */ driftRows?: readonly number[] },
): BatchQuality {
  const trained = new Set(champion.manifest.columns.map((c) => c.name));
  const features = new Set(champion.global.baseline.statistics.features.map((f) => f.name));
  const batch: Record<string, ArrayLike<CellValue>> = {};
  rows.names.forEach((name, c) => {
    if (features.has(name) || !trained.has(name)) batch[name] = cellValues(rows.columns[c]!);
  });
  const stream = streamOf(rows);
  const own = stream === undefined ? undefined : champion.streams.get(stream);
  const constraints = checkBatch(champion.global.baseline, batch, { driftShare: options.driftShare });
  const sample = options.driftRows && options.driftRows.length < rows.rowCount ? subset(batch, options.driftRows) : batch;
  const drift = own || sample !== batch ? checkBatch(own?.baseline ?? champion.global.baseline, sample, { driftShare: options.driftShare }) : constraints;
  const isDriftCheck = (v: MonitorViolation) => v.constraint_check_type === 'baseline_drift_check';
  const dataQuality: MonitorViolation[] = [...constraints.violations.violations.filter((v) => !isDriftCheck(v)), ...valueRangeViolations(champion.global.baseline, batch)];
  return {
    drift,
    reference: own ? { stream: stream!, baseline: own } : { stream: null, baseline: champion.global },
    violations: [...dataQuality, ...drift.violations.violations.filter(isDriftCheck)],
    dataQuality,
  };
}

function subset(batch: Record<string, ArrayLike<CellValue>>, rows: readonly number[]): Record<string, ArrayLike<CellValue>> {
  const out: Record<string, ArrayLike<CellValue>> = {};
  for (const [name, values] of Object.entries(batch)) out[name] = rows.map((i) => values[i]);
  return out;
}
