import type { Baseline } from './baseline';
import { chiSquareContingency, jensenShannonDistance } from './categorical';
import { cellType, rowCount, type CellType, type CellValue, type ColumnarBatch } from './columns';
import { ks2SampleSorted } from './ks';
import type { ColumnKind, ConstraintViolation, ConstraintViolations, FeatureConstraint, FeatureStatistics, InferredType } from './monitor-shapes';
import { psiSorted } from './psi';
import { meanAndStd } from './sorted-sample';
import { isDrift, selectDriftTest, type DriftTestName, type SelectedTest } from './test-selection';
import { violation } from './violations';
import { wasserstein1Sorted } from './wasserstein';

/**
 * Checks one micro-batch against a baseline: Model Monitor's constraint checks plus a per-column
 * drift test (see test-selection.ts) and Evidently's dataset rule (drift when at least
 * `driftShare` of the columns drifted).
 *
 * Minimum sizes — tiny batches must not page anyone:
 * - a batch with fewer than `minBatchRows` rows (default 100) gets no statistical verdicts at all:
 *   no drift tests, no completeness check, and never dataset drift. Deterministic schema checks
 *   (missing / extra column, data type, unknown categories) still run: one row is enough to know
 *   a column vanished.
 * - a column is tested only with at least `minColumnSamples` present batch values (default 100) and
 *   `minReferenceSamples` reference values (default 100); otherwise it reports 'insufficient_data'.
 * At 100 values a KS test already detects a 0.5-std shift with ~95% power, while the distance
 * tests' sampling noise (≈0.1 std for Wasserstein at n = 100) would start to cross their 0.1
 * threshold below that — hence 100 for both.
 *
 * A column counts as drifted when its test says so, when it is missing, or when most of its
 * values changed type (e.g. numbers arriving as strings); those last two are breaking changes a
 * distribution test cannot even be computed for.
 */
export interface CheckBatchOptions {
  driftShare?: number;
  minBatchRows?: number;
  minColumnSamples?: number;
  minReferenceSamples?: number;
  pValueThreshold?: number;
  /** Default: the baseline's distribution_constraints.comparison_threshold. */
  distanceThreshold?: number;
  smallReferenceMax?: number;
  lowCardinalityMax?: number;
  /**
   * Completeness may fall this many binomial standard errors below the baseline's before it is a
   * violation (default 3). 0 gives Model Monitor's strict rule, which flags a 98%-complete column
   * on about half of all batches by chance alone.
   */
  completenessSigmas?: number;
}

export type ColumnStatus = 'tested' | 'insufficient_data' | 'type_mismatch' | 'missing' | 'not_tested';

export interface ColumnDrift {
  name: string;
  kind: ColumnKind;
  status: ColumnStatus;
  drifted: boolean;
  test?: DriftTestName;
  /** KS D, chi-square statistic, normed Wasserstein or JS distance. */
  statistic?: number;
  pValue?: number;
  /** The value compared with the threshold: pValue for p-value tests, statistic for distances. */
  threshold?: number;
  thresholdKind?: 'p_value' | 'distance';
  /** PSI with reference-decile bins, reported for numeric columns (informational, not a verdict). */
  psi?: number;
  referenceSize: number;
  batchSize: number;
}

export interface DriftReport {
  batchRows: number;
  /** False when the batch is below minBatchRows: then nothing statistical was judged. */
  statisticalChecks: boolean;
  columns: ColumnDrift[];
  driftedColumns: string[];
  /** Drifted share of the columns that were tested, missing or changed type. */
  driftShare: number;
  driftShareThreshold: number;
  datasetDrift: boolean;
  /** constraint_violations.json content. */
  violations: ConstraintViolations;
}

interface Prepared {
  sorted?: Float64Array;
  std?: number;
  counts?: Map<string, number>;
}

// Baselines are immutable once built; sorting a 5 000-value sample once per baseline, not per batch,
// is what keeps a check in the low milliseconds.
const prepared = new WeakMap<FeatureStatistics, Prepared>();

export function checkBatch(baseline: Baseline, batch: ColumnarBatch, options: CheckBatchOptions = {}): DriftReport {
  const mc = baseline.constraints.monitoring_config;
  const rows = rowCount(batch);
  const statistical = rows >= (options.minBatchRows ?? 100);
  const evaluateConstraints = mc.evaluate_constraints === 'Enabled';
  const compare = mc.distribution_constraints.perform_comparison === 'Enabled';
  const driftShareThreshold = options.driftShare ?? 0.5;
  const constraintsByName = new Map(baseline.constraints.features.map((c) => [c.name, c]));
  const violations: ConstraintViolation[] = [];
  const columns: ColumnDrift[] = [];

  for (const feature of baseline.statistics.features) {
    const kind = feature.flowsentry.kind;
    const common = (feature.numerical_statistics ?? feature.string_statistics)!.common;
    const values = batch[feature.name];
    const column: ColumnDrift = { name: feature.name, kind, status: 'not_tested', drifted: false, referenceSize: common.num_present, batchSize: 0 };
    columns.push(column);
    if (values === undefined) {
      column.status = 'missing';
      column.drifted = true;
      if (evaluateConstraints) violations.push(violation.missingColumn(feature.name));
      continue;
    }
    const scan = scanColumn(values, feature.inferred_type);
    column.batchSize = kind === 'numeric' ? scan.numbers.length : scan.strings.length + scan.numbers.length;
    const constraint = constraintsByName.get(feature.name);

    if (evaluateConstraints && scan.present > 0 && scan.matching / scan.present < mc.datatype_check_threshold) {
      violations.push(violation.dataType(feature.name, feature.inferred_type, scan.matching / scan.present, mc.datatype_check_threshold, describeTypes(scan.types)));
    }
    if (kind === 'numeric' && scan.present > 0 && scan.numbers.length / scan.present < 0.5) {
      column.status = 'type_mismatch';
      column.drifted = true;
      continue;
    }
    if (evaluateConstraints && statistical && constraint) {
      const v = completenessViolation(feature.name, constraint, scan.present, rows, options.completenessSigmas ?? 3);
      if (v) violations.push(v);
    }
    if (evaluateConstraints && kind === 'categorical' && constraint?.string_constraints && scan.present > 0) {
      const v = domainViolation(feature.name, constraint.string_constraints.domains, values, scan.present, mc.domain_content_threshold);
      if (v) violations.push(v);
    }
    if (kind === 'string' || !compare || !statistical) continue;
    if (column.batchSize < (options.minColumnSamples ?? 100) || common.num_present < (options.minReferenceSamples ?? 100)) {
      column.status = 'insufficient_data';
      continue;
    }

    const selected = selectDriftTest(kind, common.num_present, feature.flowsentry.distinct_values ?? Infinity, {
      smallReferenceMax: options.smallReferenceMax,
      lowCardinalityMax: options.lowCardinalityMax,
      pValueThreshold: options.pValueThreshold,
      distanceThreshold: options.distanceThreshold ?? mc.distribution_constraints.comparison_threshold,
    });
    runTest(column, feature, selected, scan);
    column.status = 'tested';
    if (column.drifted) {
      const value = selected.thresholdKind === 'p_value' ? column.pValue! : column.statistic!;
      const label = selected.thresholdKind === 'p_value' ? `${selected.test} p-value` : selected.test;
      violations.push(violation.baselineDrift(feature.name, label, value, selected.thresholdKind === 'p_value' ? '<' : '>=', selected.threshold));
    }
  }

  const known = new Set(baseline.statistics.features.map((f) => f.name));
  if (evaluateConstraints) {
    for (const name of Object.keys(batch).sort()) if (!known.has(name)) violations.push(violation.extraColumn(name));
  }

  const judged = columns.filter((c) => c.status === 'tested' || c.status === 'missing' || c.status === 'type_mismatch');
  const driftedColumns = judged.filter((c) => c.drifted).map((c) => c.name);
  const driftShare = judged.length > 0 ? driftedColumns.length / judged.length : 0;
  return {
    batchRows: rows,
    statisticalChecks: statistical,
    columns,
    driftedColumns,
    driftShare,
    driftShareThreshold,
    datasetDrift: statistical && judged.length > 0 && driftShare >= driftShareThreshold,
    violations: { violations },
  };
}

function runTest(column: ColumnDrift, feature: FeatureStatistics, selected: SelectedTest, scan: ColumnScan): void {
  const ref = prepare(feature);
  column.test = selected.test;
  column.threshold = selected.threshold;
  column.thresholdKind = selected.thresholdKind;
  if (selected.test === 'chi_square' || selected.test === 'jensen_shannon') {
    const batchCounts = new Map<string, number>();
    for (const v of feature.flowsentry.kind === 'numeric' ? scan.numbers : [...scan.strings, ...scan.numbers]) {
      const key = String(v);
      batchCounts.set(key, (batchCounts.get(key) ?? 0) + 1);
    }
    if (selected.test === 'chi_square') {
      const r = chiSquareContingency(ref.counts!, batchCounts);
      column.statistic = r.statistic;
      column.pValue = r.pValue;
    } else {
      column.statistic = jensenShannonDistance(ref.counts!, batchCounts);
    }
  } else {
    const sorted = Float64Array.from(scan.numbers).sort();
    if (selected.test === 'ks') {
      const r = ks2SampleSorted(ref.sorted!, sorted);
      column.statistic = r.statistic;
      column.pValue = r.pValue;
    } else {
      // Normalising by the reference std makes the 0.1 threshold mean "a tenth of a standard
      // deviation of mass moved", comparable across bytes, ports and durations. A constant
      // reference column has std 0; then any movement at all counts.
      const w = wasserstein1Sorted(ref.sorted!, sorted);
      column.statistic = ref.std! > 0 ? w / ref.std! : w > 0 ? Infinity : 0;
    }
    column.psi = psiSorted(ref.sorted!, sorted).psi;
  }
  column.drifted = isDrift(selected, selected.thresholdKind === 'p_value' ? column.pValue! : column.statistic!);
}

function prepare(feature: FeatureStatistics): Prepared {
  let p = prepared.get(feature);
  if (p) return p;
  if (feature.flowsentry.kind === 'numeric') {
    const values = feature.flowsentry.reference_sample?.values ?? [];
    const counts = new Map<string, number>();
    for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    p = { sorted: Float64Array.from(values).sort(), std: meanAndStd(values).std, counts };
  } else {
    const buckets = feature.string_statistics?.distribution.categorical.buckets ?? [];
    p = { counts: new Map(buckets.map((b) => [b.value, b.count])) };
  }
  prepared.set(feature, p);
  return p;
}

interface ColumnScan {
  present: number;
  matching: number;
  numbers: number[];
  strings: string[];
  types: Map<CellType, number>;
}

function scanColumn(values: ArrayLike<CellValue>, expected: InferredType): ColumnScan {
  const scan: ColumnScan = { present: 0, matching: 0, numbers: [], strings: [], types: new Map() };
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    const t = cellType(v);
    if (t === 'missing') continue;
    scan.present++;
    scan.types.set(t, (scan.types.get(t) ?? 0) + 1);
    if (typeMatches(expected, t)) scan.matching++;
    if (typeof v === 'number') scan.numbers.push(v);
    else scan.strings.push(v as string);
  }
  return scan;
}

/** Fractional accepts integers (1.0 is a valid double); String and Unknown accept anything present. */
function typeMatches(expected: InferredType, found: CellType): boolean {
  if (expected === 'Integral') return found === 'Integral';
  if (expected === 'Fractional') return found === 'Integral' || found === 'Fractional';
  return true;
}

function describeTypes(types: Map<CellType, number>): string {
  return [...types.entries()].map(([t, c]) => `${t}: ${c}`).join(', ');
}

function completenessViolation(name: string, c: FeatureConstraint, present: number, rows: number, sigmas: number): ConstraintViolation | undefined {
  if (rows === 0) return undefined;
  const observed = present / rows;
  const floor = c.completeness - sigmas * Math.sqrt((c.completeness * (1 - c.completeness)) / rows);
  return observed < floor - 1e-12 ? violation.completeness(name, observed, c.completeness, floor) : undefined;
}

function domainViolation(name: string, domains: string[], values: ArrayLike<CellValue>, present: number, threshold: number): ConstraintViolation | undefined {
  const domain = new Set(domains);
  const unknown = new Map<string, number>();
  let known = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (cellType(v) === 'missing') continue;
    const key = String(v);
    if (domain.has(key)) known++;
    else unknown.set(key, (unknown.get(key) ?? 0) + 1);
  }
  const share = known / present;
  if (share >= threshold) return undefined;
  return violation.categoricalValues(name, share, threshold, [...unknown.entries()].sort((a, b) => b[1] - a[1]));
}
