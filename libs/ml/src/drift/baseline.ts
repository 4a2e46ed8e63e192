import { rowCount, type CellValue, type ColumnarBatch } from './columns';
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
  /** Reservoir capacity per numeric column (default 5 000); 0 keeps no sample and draws no random numbers. */
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
  const declared = options.columnKinds?.[name];
  // Per-column seeds keep columns' reservoirs independent yet reproducible.
  const seed = (options.seed ?? 1) + index;
  // A typed array holds numbers only: nothing to classify first (numericFeature tells Integral
  // from Fractional as it collects the values).
  if ((declared === undefined || declared === 'numeric') && isNumberArray(values)) return numericFeature(name, values, options, seed);
  // cellType's classification inlined (no string per cell): numbers that are not NaN count as
  // present, any other non-null value as a string.
  let numbers = 0;
  let strings = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number') {
      if (v === v) numbers++;
    } else if (v !== null && v !== undefined) strings++;
  }
  if (strings > 0 && numbers > 0) throw new BaselineError(`column ${name} mixes numbers and strings in the reference`);
  const isNumeric = strings === 0 && (numbers > 0 || declared === 'numeric' || declared === undefined);
  if (declared === 'numeric' && !isNumeric) throw new BaselineError(`column ${name} is declared numeric but holds strings`);
  if (declared !== undefined && declared !== 'numeric' && isNumeric && numbers > 0) {
    throw new BaselineError(`column ${name} is declared ${declared} but holds numbers; pass them as strings to test them as categories`);
  }
  if (isNumeric) return numericFeature(name, values, options, seed);
  return stringFeature(name, values, declared, options);
}

function isNumberArray(values: ArrayLike<CellValue>): boolean {
  return ArrayBuffer.isView(values) && !(values instanceof DataView) && !(values instanceof BigInt64Array) && !(values instanceof BigUint64Array);
}

function numericFeature(name: string, values: ArrayLike<CellValue>, options: BaselineOptions, seed: number): FeatureStatistics {
  // One collecting pass into a preallocated Float64Array, summing in row order; the squares are
  // summed in row order too and the sample drawn before the values are sorted in place, so every
  // number comes out as it did from the plain-array version (byte-identical statistics.json).
  const all = new Float64Array(values.length);
  let n = 0;
  let sum = 0;
  let fractional = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'number' && v === v) {
      all[n++] = v;
      sum += v;
      if (!fractional && !Number.isInteger(v)) fractional = true;
    }
  }
  const inferred: InferredType = n === 0 ? 'Unknown' : fractional ? 'Fractional' : 'Integral';
  const present = n === all.length ? all : all.subarray(0, n);
  const mean = n > 0 ? sum / n : 0;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (present[i] - mean) ** 2;
  const capacity = options.sampleCapacity ?? 5000;
  // Capacity 0 keeps no sample, so there is nothing to draw (the reservoir used to spend a random number per value to return []).
  const sample = capacity <= 0 ? [] : n <= capacity ? Array.from(present) : reservoirSample(present, capacity, mulberry32(seed));
  const sorted = sortDoubles(present);
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

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Below this many values V8's own sort is as fast (each radix pass has 2,048 buckets to sum). */
const RADIX_MIN_LENGTH = 1500;
const RADIX_BUCKETS = 2048;

/**
 * Sorts NaN-free doubles ascending in place, to exactly what Float64Array#sort gives (−0 before
 * +0), about 1.5× faster for the column lengths of a batch (V8's sort was the largest part of a
 * batch's statistics time). An LSD radix sort on the IEEE bits, turned into unsigned keys that
 * order like the numbers (negatives: every bit flipped, the rest: the sign bit set), 11 bits per
 * pass; a pass in which every key has the same digit (the low mantissa bits of integer-valued
 * columns, the exponent of narrow ranges) is skipped. Works on 32-bit words only: a key's bits may
 * spell a NaN, which a Float64Array need not keep bit for bit.
 */
function sortDoubles(values: Float64Array): Float64Array {
  const n = values.length;
  if (n < RADIX_MIN_LENGTH || !LITTLE_ENDIAN) return values.sort();
  const words = new Int32Array(values.buffer, values.byteOffset, 2 * n);
  const counts = new Int32Array(6 * RADIX_BUCKETS);
  for (let i = 0; i < 2 * n; i += 2) {
    let lo = words[i];
    let hi = words[i + 1];
    if (hi < 0) {
      lo = ~lo;
      hi = ~hi;
    } else {
      hi = hi | 0x80000000;
    }
    words[i] = lo;
    words[i + 1] = hi;
    counts[lo & 0x7ff]++;
    counts[RADIX_BUCKETS + ((lo >>> 11) & 0x7ff)]++;
    counts[2 * RADIX_BUCKETS + ((lo >>> 22) | ((hi & 1) << 10))]++;
    counts[3 * RADIX_BUCKETS + ((hi >>> 1) & 0x7ff)]++;
    counts[4 * RADIX_BUCKETS + ((hi >>> 12) & 0x7ff)]++;
    counts[5 * RADIX_BUCKETS + (hi >>> 23)]++;
  }
  let from: Int32Array = words;
  let to: Int32Array = new Int32Array(2 * n);
  for (let pass = 0; pass < 6; pass++) {
    const base = pass * RADIX_BUCKETS;
    if (counts[base + radixDigit(from[0], from[1], pass)] === n) continue;
    let next = 0;
    for (let b = base; b < base + RADIX_BUCKETS; b++) {
      const count = counts[b];
      counts[b] = next;
      next += count;
    }
    for (let i = 0; i < 2 * n; i += 2) {
      const lo = from[i];
      const hi = from[i + 1];
      const at = 2 * counts[base + radixDigit(lo, hi, pass)]++;
      to[at] = lo;
      to[at + 1] = hi;
    }
    const swap = from;
    from = to;
    to = swap;
  }
  for (let i = 0; i < 2 * n; i += 2) {
    const lo = from[i];
    const hi = from[i + 1];
    if (hi < 0) {
      words[i] = lo;
      words[i + 1] = hi & 0x7fffffff;
    } else {
      words[i] = ~lo;
      words[i + 1] = ~hi;
    }
  }
  return values;
}

/** Digit `pass` (least significant first) of the 64-bit key hi:lo: bits 0–10, 11–21, 22–32, 33–43, 44–54, 55–63. */
function radixDigit(lo: number, hi: number, pass: number): number {
  switch (pass) {
    case 0:
      return lo & 0x7ff;
    case 1:
      return (lo >>> 11) & 0x7ff;
    case 2:
      return (lo >>> 22) | ((hi & 1) << 10);
    case 3:
      return (hi >>> 1) & 0x7ff;
    case 4:
      return (hi >>> 12) & 0x7ff;
    default:
      return hi >>> 23;
  }
}
