import { cellType, rowCount, type CellValue, type ColumnarBatch } from './columns';
import type {
  ColumnKind,
  FeatureConstraint,
  FeatureStatistics,
  InferredType,
  KllBucket,
  KllSketch,
  MonitorConstraints,
  MonitorStatistics,
  MonitoringConfig,
} from './monitor-shapes';
import { mulberry32, reservoirSample } from './prng';

/**
 * A baseline is exactly the pair of Model Monitor documents: what we write to
 * `monitor/…/statistics.json` and `constraints.json` is what checkBatch reads back.
 *
 * Why the extra reference sample: Model Monitor summarises numeric columns by a KLL sketch — a
 * lossy quantile summary whose rank error is bounded but not zero. Tests computed from it would
 * not be the KS / Wasserstein of any real sample, and their p-values would be wrong in the way
 * that matters most (small, significant differences). So each numeric feature also keeps a
 * uniform reservoir sample of up to `sampleCapacity` values (all values when they fit): tests run
 * exactly on that sample, and with the default capacity (5 000) the KS test stays within SciPy's
 * exact regime for any batch up to 10 000 rows. Categorical features need nothing extra: their
 * complete counts are already in string_statistics.
 */
export interface Baseline {
  statistics: MonitorStatistics;
  constraints: MonitorConstraints;
}

export interface BaselineOptions {
  /**
   * Column kinds. Columns holding numbers are 'numeric'. Columns holding strings default to
   * 'categorical' when they have at most `maxCategories` distinct values, else 'string' (checked for
   * type and completeness only, e.g. IP addresses).
   */
  columnKinds?: Readonly<Record<string, ColumnKind>>;
  maxCategories?: number;
  /** Reservoir capacity per numeric column (default 5 000). */
  sampleCapacity?: number;
  /** Seed of the reservoir sampler, recorded in the baseline (default 1). */
  seed?: number;
  /** Equal-width histogram buckets in `distribution.kll.buckets` (default 10, as Model Monitor). */
  histogramBuckets?: number;
  /** KLL `k` parameter recorded in the sketch; also the number of summary items kept (default 2048). */
  sketchK?: number;
  /** Most frequent values kept for 'string' columns (categorical columns keep all; default 100). */
  maxStringBuckets?: number;
  monitoringConfig?: Partial<Omit<MonitoringConfig, 'distribution_constraints'>> & {
    distribution_constraints?: Partial<MonitoringConfig['distribution_constraints']>;
  };
}

export class BaselineError extends Error {
  override readonly name = 'BaselineError';
}

export const DEFAULT_MONITORING_CONFIG: MonitoringConfig = {
  evaluate_constraints: 'Enabled',
  emit_metrics: 'Enabled',
  datatype_check_threshold: 1.0,
  domain_content_threshold: 1.0,
  distribution_constraints: { perform_comparison: 'Enabled', comparison_threshold: 0.1, comparison_method: 'Robust' },
};

export function buildBaseline(reference: ColumnarBatch, options: BaselineOptions = {}): Baseline {
  const itemCount = rowCount(reference);
  if (itemCount === 0) throw new BaselineError('reference dataset has no rows');
  const names = Object.keys(reference).sort();
  const features: FeatureStatistics[] = [];
  const constraints: FeatureConstraint[] = [];
  names.forEach((name, index) => {
    const values = reference[name];
    if (values.length !== itemCount) throw new BaselineError(`column ${name} has ${values.length} values, expected ${itemCount}`);
    const feature = describeColumn(name, values, itemCount, options, index);
    features.push(feature);
    constraints.push(constrain(feature, itemCount));
  });
  const mc = options.monitoringConfig ?? {};
  return {
    statistics: { version: 0, dataset: { item_count: itemCount }, features },
    constraints: {
      version: 0,
      features: constraints,
      monitoring_config: {
        ...DEFAULT_MONITORING_CONFIG,
        ...mc,
        distribution_constraints: { ...DEFAULT_MONITORING_CONFIG.distribution_constraints, ...mc.distribution_constraints },
      },
    },
  };
}

function describeColumn(
  name: string,
  values: ArrayLike<CellValue>,
  itemCount: number,
  options: BaselineOptions,
  index: number,
): FeatureStatistics {
  let numbers = 0;
  let strings = 0;
  let fractional = false;
  for (let i = 0; i < values.length; i++) {
    const t = cellType(values[i]);
    if (t === 'String') strings++;
    else if (t !== 'missing') {
      numbers++;
      if (t === 'Fractional') fractional = true;
    }
  }
  const declared = options.columnKinds?.[name];
  if (strings > 0 && numbers > 0) throw new BaselineError(`column ${name} mixes numbers and strings in the reference`);
  const isNumeric = strings === 0 && (numbers > 0 || declared === 'numeric' || declared === undefined);
  if (declared === 'numeric' && !isNumeric) throw new BaselineError(`column ${name} is declared numeric but holds strings`);
  if (declared !== undefined && declared !== 'numeric' && isNumeric && numbers > 0) {
    throw new BaselineError(`column ${name} is declared ${declared} but holds numbers; pass them as strings to test them as categories`);
  }
  if (isNumeric) {
    // Per-column seeds keep columns' reservoirs independent yet reproducible.
    const inferred: InferredType = numbers === 0 ? 'Unknown' : fractional ? 'Fractional' : 'Integral';
    return numericFeature(name, values, inferred, options, (options.seed ?? 1) + index);
  }
  return stringFeature(name, values, declared, options);
}

function numericFeature(
  name: string,
  values: ArrayLike<CellValue>,
  inferred: InferredType,
  options: BaselineOptions,
  seed: number,
): FeatureStatistics {
  const present: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && !Number.isNaN(v)) present.push(v);
  }
  const n = present.length;
  const sorted = Float64Array.from(present).sort();
  let sum = 0;
  for (const v of present) sum += v;
  const mean = n > 0 ? sum / n : 0;
  let ss = 0;
  for (const v of present) ss += (v - mean) ** 2;
  const capacity = options.sampleCapacity ?? 5000;
  const sample = n <= capacity ? present.slice() : reservoirSample(present, capacity, mulberry32(seed));
  const distinct = countDistinctUpTo(sorted, 64);
  return {
    name,
    inferred_type: inferred,
    numerical_statistics: {
      common: { num_present: n, num_missing: values.length - n },
      mean,
      sum,
      // Population standard deviation, as Deequ (which computes Model Monitor's statistics) reports.
      std_dev: n > 0 ? Math.sqrt(ss / n) : 0,
      min: n > 0 ? sorted[0] : 0,
      max: n > 0 ? sorted[n - 1] : 0,
      distribution: {
        kll: {
          buckets: histogram(sorted, options.histogramBuckets ?? 10),
          sketch: quantileSketch(sorted, options.sketchK ?? 2048),
        },
      },
    },
    flowsentry: {
      kind: 'numeric',
      reference_sample: { method: n <= capacity ? 'all' : 'reservoir', capacity, seed, values: sample },
      distinct_values: distinct,
    },
  };
}

function stringFeature(
  name: string,
  values: ArrayLike<CellValue>,
  declared: ColumnKind | undefined,
  options: BaselineOptions,
): FeatureStatistics {
  const counts = new Map<string, number>();
  let present = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'string') continue;
    present++;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const kind: ColumnKind = declared ?? (counts.size <= (options.maxCategories ?? 50) ? 'categorical' : 'string');
  // Most frequent first, ties by value, so the file is deterministic.
  let buckets = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([value, count]) => ({ value, count }));
  const limit = options.maxStringBuckets ?? 100;
  const truncated = kind === 'string' && buckets.length > limit;
  if (truncated) buckets = buckets.slice(0, limit);
  return {
    name,
    inferred_type: 'String',
    string_statistics: {
      common: { num_present: present, num_missing: values.length - present },
      distinct_count: counts.size,
      distribution: { categorical: { buckets } },
    },
    flowsentry: truncated ? { kind, buckets_truncated: true } : { kind },
  };
}

function constrain(feature: FeatureStatistics, itemCount: number): FeatureConstraint {
  const common = (feature.numerical_statistics ?? feature.string_statistics)!.common;
  const base: FeatureConstraint = {
    name: feature.name,
    inferred_type: feature.inferred_type,
    completeness: itemCount > 0 ? common.num_present / itemCount : 0,
  };
  if (feature.numerical_statistics) {
    return { ...base, num_constraints: { is_non_negative: feature.numerical_statistics.min >= 0 } };
  }
  if (feature.flowsentry.kind === 'categorical') {
    const domains = feature.string_statistics!.distribution.categorical.buckets.map((b) => b.value).sort();
    return { ...base, string_constraints: { domains } };
  }
  return base;
}

function histogram(sorted: Float64Array, buckets: number): KllBucket[] {
  const n = sorted.length;
  if (n === 0) return [];
  const lo = sorted[0];
  const hi = sorted[n - 1];
  const width = (hi - lo) / buckets;
  const out: KllBucket[] = [];
  for (let b = 0; b < buckets; b++) {
    out.push({ lower_bound: lo + b * width, upper_bound: b === buckets - 1 ? hi : lo + (b + 1) * width, count: 0 });
  }
  for (let i = 0; i < n; i++) {
    const b = width > 0 ? Math.min(buckets - 1, Math.floor((sorted[i] - lo) / width)) : 0;
    out[b].count++;
  }
  return out;
}

/**
 * A quantile summary in KLL's layout: `data[h]` holds items of weight 2^h. We do not run KLL's
 * randomised compactions (the whole column is in memory when a baseline is built); instead we keep
 * evenly spaced order statistics at the one level h whose weight makes them sum to ~n. Any KLL
 * reader gets valid quantiles from it; flowsentry itself never tests against it.
 */
function quantileSketch(sorted: Float64Array, k: number): KllSketch {
  const n = sorted.length;
  let level = 0;
  while (n / 2 ** level > k) level++;
  const weight = 2 ** level;
  const items: number[] = [];
  for (let pos = weight / 2; pos < n; pos += weight) items.push(sorted[Math.floor(pos)]);
  const data: number[][] = [];
  for (let h = 0; h < level; h++) data.push([]);
  data.push(items);
  return { parameters: { c: 0.64, k }, data };
}

function countDistinctUpTo(sorted: Float64Array, cap: number): number {
  let distinct = 0;
  for (let i = 0; i < sorted.length && distinct <= cap; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  return distinct;
}
