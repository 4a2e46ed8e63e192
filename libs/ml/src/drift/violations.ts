import type { ConstraintViolation } from './monitor-shapes';

/** Builders for constraint_violations.json entries; descriptions follow Model Monitor's wording style. */
export const violation = {
  missingColumn: (feature: string): ConstraintViolation => ({
    feature_name: feature,
    constraint_check_type: 'missing_column_check',
    description: `There are missing columns in current dataset. Column ${feature} is present in the baseline but absent from the batch.`,
  }),
  extraColumn: (feature: string): ConstraintViolation => ({
    feature_name: feature,
    constraint_check_type: 'extra_column_check',
    description: `There are extra columns in current dataset. Column ${feature} is not in the baseline.`,
  }),
  dataType: (feature: string, expected: string, matchingShare: number, threshold: number, found: string): ConstraintViolation => ({
    feature_name: feature,
    constraint_check_type: 'data_type_check',
    description:
      `Data type match requirement is not met. Expected data type: ${expected}, ` +
      `expected match: ${pct(threshold)}. Observed: only ${pct(matchingShare)} of data is ${expected} (found ${found}).`,
  }),
  completeness: (feature: string, observed: number, baseline: number, floor: number): ConstraintViolation => ({
    feature_name: feature,
    constraint_check_type: 'completeness_check',
    description:
      `Data completeness requirement is not met. Baseline completeness: ${pct(baseline)}, ` +
      `lowest accepted for this batch size: ${pct(floor)}. Observed completeness: ${pct(observed)}.`,
  }),
  categoricalValues: (feature: string, knownShare: number, threshold: number, unknown: Array<[string, number]>): ConstraintViolation => ({
    feature_name: feature,
    constraint_check_type: 'categorical_values_check',
    description:
      `Data does not meet the domain content requirement: ${pct(knownShare)} of values are in the baseline domain, ` +
      `expected ${pct(threshold)}. Unknown values: ${unknown
        .slice(0, 5)
        .map(([v, c]) => `${JSON.stringify(v)} (${c})`)
        .join(', ')}${unknown.length > 5 ? `, … ${unknown.length - 5} more` : ''}.`,
  }),
  baselineDrift: (feature: string, test: string, value: number, comparison: '<' | '>=', threshold: number): ConstraintViolation => ({
    feature_name: feature,
    constraint_check_type: 'baseline_drift_check',
    description: `Baseline drift distance: ${test} = ${value.toPrecision(4)} ${comparison} threshold ${threshold}.`,
  }),
};

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}
