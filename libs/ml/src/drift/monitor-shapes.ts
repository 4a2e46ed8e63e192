/**
 * SageMaker Model Monitor file shapes (statistics.json, constraints.json,
 * constraint_violations.json), field for field. flowsentry adds one namespaced object per feature,
 * `flowsentry`, holding what Model Monitor's lossy KLL sketch cannot give us (see baseline.ts);
 * readers that only know Model Monitor's fields ignore it.
 */
export type InferredType = 'Integral' | 'Fractional' | 'String' | 'Unknown';

/** How flowsentry treats a column: tested as a distribution, as categories, or only type/completeness. */
export type ColumnKind = 'numeric' | 'categorical' | 'string';

export interface CommonStatistics {
  num_present: number;
  num_missing: number;
}

export interface KllBucket {
  lower_bound: number;
  upper_bound: number;
  count: number;
}

export interface KllSketch {
  parameters: { c: number; k: number };
  data: number[][];
}

export interface NumericalStatistics {
  common: CommonStatistics;
  mean: number;
  sum: number;
  std_dev: number;
  min: number;
  max: number;
  distribution: { kll: { buckets: KllBucket[]; sketch: KllSketch } };
}

export interface StringStatistics {
  common: CommonStatistics;
  distinct_count: number;
  distribution: { categorical: { buckets: Array<{ value: string; count: number }> } };
}

/** Exact reference data kept beside the sketch so batch tests are exact (see baseline.ts). */
export interface FlowsentryFeatureExtension {
  kind: ColumnKind;
  /** Uniform sample (reservoir, Algorithm R) of the present numeric values; all of them if they fit. */
  reference_sample?: { method: 'all' | 'reservoir'; capacity: number; seed: number; values: number[] };
  /** Distinct reference values of a numeric column, counted up to 65 (≤ 5 means it is tested as categories). */
  distinct_values?: number;
  /** True when string buckets were truncated to the most frequent values (kind 'string' only). */
  buckets_truncated?: boolean;
}

export interface FeatureStatistics {
  name: string;
  inferred_type: InferredType;
  numerical_statistics?: NumericalStatistics;
  string_statistics?: StringStatistics;
  flowsentry: FlowsentryFeatureExtension;
}

export interface MonitorStatistics {
  version: number;
  dataset: { item_count: number };
  features: FeatureStatistics[];
}

export type Toggle = 'Enabled' | 'Disabled';

export interface FeatureConstraint {
  name: string;
  inferred_type: InferredType;
  completeness: number;
  num_constraints?: { is_non_negative: boolean };
  string_constraints?: { domains: string[] };
}

export interface MonitoringConfig {
  evaluate_constraints: Toggle;
  emit_metrics: Toggle;
  datatype_check_threshold: number;
  domain_content_threshold: number;
  distribution_constraints: {
    perform_comparison: Toggle;
    comparison_threshold: number;
    comparison_method: 'Simple' | 'Robust';
  };
}

export interface MonitorConstraints {
  version: number;
  features: FeatureConstraint[];
  monitoring_config: MonitoringConfig;
}

export type ConstraintCheckType =
  | 'data_type_check'
  | 'completeness_check'
  | 'baseline_drift_check'
  | 'missing_column_check'
  | 'extra_column_check'
  | 'categorical_values_check';

export interface ConstraintViolation {
  feature_name: string;
  constraint_check_type: ConstraintCheckType;
  description: string;
}

export interface ConstraintViolations {
  violations: ConstraintViolation[];
}
