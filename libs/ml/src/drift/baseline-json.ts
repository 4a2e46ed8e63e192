import type { Baseline } from './baseline';
import type {
  ConstraintViolations,
  FeatureConstraint,
  FeatureStatistics,
  MonitorConstraints,
  MonitorStatistics,
} from './monitor-shapes';

/**
 * Serialising a baseline to Model Monitor's two files and reading them back. Writing is plain
 * JSON.stringify (keys in a fixed order, so the same baseline gives the same bytes and therefore
 * the same object key hash). Reading validates the fields checkBatch relies on and names the first
 * bad path, so a hand-edited or foreign file fails loudly instead of producing silent "no drift".
 */
export class BaselineFormatError extends Error {
  override readonly name = 'BaselineFormatError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

export function writeStatisticsJson(baseline: Baseline): string {
  return JSON.stringify(baseline.statistics);
}

export function writeConstraintsJson(baseline: Baseline): string {
  return JSON.stringify(baseline.constraints, null, 2);
}

export function writeViolationsJson(violations: ConstraintViolations): string {
  return JSON.stringify(violations, null, 2);
}

export function readBaseline(statisticsJson: string, constraintsJson: string): Baseline {
  const statistics = parseStatistics(JSON.parse(statisticsJson) as unknown);
  const constraints = parseConstraints(JSON.parse(constraintsJson) as unknown);
  const names = new Set(statistics.features.map((f) => f.name));
  for (const c of constraints.features) {
    if (!names.has(c.name)) throw new BaselineFormatError(`constraints.features[${c.name}]`, 'feature has no statistics');
  }
  return { statistics, constraints };
}

export function parseStatistics(doc: unknown): MonitorStatistics {
  const root = object(doc, 'statistics');
  number(root.version, 'statistics.version');
  number(object(root.dataset, 'statistics.dataset').item_count, 'statistics.dataset.item_count');
  array(root.features, 'statistics.features').forEach((f, i) => checkFeatureStatistics(f, `statistics.features[${i}]`));
  return doc as MonitorStatistics;
}

export function parseConstraints(doc: unknown): MonitorConstraints {
  const root = object(doc, 'constraints');
  number(root.version, 'constraints.version');
  array(root.features, 'constraints.features').forEach((f, i) => checkFeatureConstraint(f, `constraints.features[${i}]`));
  const mc = object(root.monitoring_config, 'constraints.monitoring_config');
  for (const key of ['evaluate_constraints', 'emit_metrics'] as const) toggle(mc[key], `constraints.monitoring_config.${key}`);
  number(mc.datatype_check_threshold, 'constraints.monitoring_config.datatype_check_threshold');
  number(mc.domain_content_threshold, 'constraints.monitoring_config.domain_content_threshold');
  const dc = object(mc.distribution_constraints, 'constraints.monitoring_config.distribution_constraints');
  toggle(dc.perform_comparison, 'constraints.monitoring_config.distribution_constraints.perform_comparison');
  number(dc.comparison_threshold, 'constraints.monitoring_config.distribution_constraints.comparison_threshold');
  oneOf(dc.comparison_method, ['Simple', 'Robust'], 'constraints.monitoring_config.distribution_constraints.comparison_method');
  return doc as MonitorConstraints;
}

function checkFeatureStatistics(doc: unknown, path: string): asserts doc is FeatureStatistics {
  const f = object(doc, path);
  string(f.name, `${path}.name`);
  oneOf(f.inferred_type, ['Integral', 'Fractional', 'String', 'Unknown'], `${path}.inferred_type`);
  const ext = object(f.flowsentry, `${path}.flowsentry`);
  oneOf(ext.kind, ['numeric', 'categorical', 'string'], `${path}.flowsentry.kind`);
  if (ext.kind === 'numeric') {
    const ns = object(f.numerical_statistics, `${path}.numerical_statistics`);
    checkCommon(ns.common, `${path}.numerical_statistics.common`);
    for (const key of ['mean', 'sum', 'std_dev', 'min', 'max'] as const) number(ns[key], `${path}.numerical_statistics.${key}`);
    const kll = object(object(ns.distribution, `${path}.numerical_statistics.distribution`).kll, `${path}.numerical_statistics.distribution.kll`);
    array(kll.buckets, `${path}.numerical_statistics.distribution.kll.buckets`);
    object(kll.sketch, `${path}.numerical_statistics.distribution.kll.sketch`);
    const sample = object(ext.reference_sample, `${path}.flowsentry.reference_sample`);
    array(sample.values, `${path}.flowsentry.reference_sample.values`).forEach((v, i) =>
      number(v, `${path}.flowsentry.reference_sample.values[${i}]`),
    );
  } else {
    const ss = object(f.string_statistics, `${path}.string_statistics`);
    checkCommon(ss.common, `${path}.string_statistics.common`);
    number(ss.distinct_count, `${path}.string_statistics.distinct_count`);
    const cat = object(object(ss.distribution, `${path}.string_statistics.distribution`).categorical, `${path}.string_statistics.distribution.categorical`);
    array(cat.buckets, `${path}.string_statistics.distribution.categorical.buckets`).forEach((b, i) => {
      const bucket = object(b, `${path}.string_statistics.distribution.categorical.buckets[${i}]`);
      string(bucket.value, `${path}.string_statistics.distribution.categorical.buckets[${i}].value`);
      number(bucket.count, `${path}.string_statistics.distribution.categorical.buckets[${i}].count`);
    });
  }
}

function checkFeatureConstraint(doc: unknown, path: string): asserts doc is FeatureConstraint {
  const f = object(doc, path);
  string(f.name, `${path}.name`);
  oneOf(f.inferred_type, ['Integral', 'Fractional', 'String', 'Unknown'], `${path}.inferred_type`);
  number(f.completeness, `${path}.completeness`);
  if (f.num_constraints !== undefined) {
    const nc = object(f.num_constraints, `${path}.num_constraints`);
    if (typeof nc.is_non_negative !== 'boolean') throw new BaselineFormatError(`${path}.num_constraints.is_non_negative`, 'expected a boolean');
  }
  if (f.string_constraints !== undefined) {
    array(object(f.string_constraints, `${path}.string_constraints`).domains, `${path}.string_constraints.domains`).forEach((d, i) =>
      string(d, `${path}.string_constraints.domains[${i}]`),
    );
  }
}

function checkCommon(doc: unknown, path: string): void {
  const c = object(doc, path);
  number(c.num_present, `${path}.num_present`);
  number(c.num_missing, `${path}.num_missing`);
}

function object(v: unknown, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new BaselineFormatError(path, 'expected an object');
  return v as Record<string, unknown>;
}

function array(v: unknown, path: string): unknown[] {
  if (!Array.isArray(v)) throw new BaselineFormatError(path, 'expected an array');
  return v;
}

function number(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new BaselineFormatError(path, 'expected a finite number');
  return v;
}

function string(v: unknown, path: string): string {
  if (typeof v !== 'string') throw new BaselineFormatError(path, 'expected a string');
  return v;
}

function toggle(v: unknown, path: string): void {
  oneOf(v, ['Enabled', 'Disabled'], path);
}

function oneOf(v: unknown, allowed: readonly string[], path: string): void {
  if (typeof v !== 'string' || !allowed.includes(v)) throw new BaselineFormatError(path, `expected one of ${allowed.join(', ')}`);
}
