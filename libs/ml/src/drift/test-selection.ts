/**
 * Which test decides drift for a column — Evidently's default rule, so our alarms mean what an
 * Evidently user expects:
 *
 * | column                                  | reference ≤ 1000 values     | reference > 1000 values                          |
 * | numeric                                 | KS, drift if p < 0.05       | Wasserstein / std(reference), drift if ≥ 0.1     |
 * | categorical, or numeric with ≤ 5 values | chi-square, drift if p < 0.05 | Jensen–Shannon distance, drift if ≥ 0.1        |
 *
 * Why: with a small reference a p-value is the honest measure (we cannot tell small effects from
 * noise anyway). With a large reference and 1 000-row batches, p-values flag effects too small to
 * matter (a 0.1-std mean shift is "significant" at these sizes), so a distance with a fixed,
 * interpretable threshold is used instead. The distance threshold defaults to the baseline's
 * `distribution_constraints.comparison_threshold` (0.1, which is also Model Monitor's default).
 */
export type DriftTestName = 'ks' | 'chi_square' | 'wasserstein_normed' | 'jensen_shannon';

export interface TestSelectionOptions {
  /** Largest reference size still treated as "small" (default 1000). */
  smallReferenceMax?: number;
  /** Numeric columns with at most this many distinct reference values are tested as categories (default 5). */
  lowCardinalityMax?: number;
  pValueThreshold?: number;
  distanceThreshold?: number;
}

export interface SelectedTest {
  test: DriftTestName;
  /** p-value tests drift when p < threshold; distance tests when distance ≥ threshold. */
  thresholdKind: 'p_value' | 'distance';
  threshold: number;
}

export function selectDriftTest(
  kind: 'numeric' | 'categorical',
  referenceSize: number,
  distinctReferenceValues: number,
  options: TestSelectionOptions = {},
): SelectedTest {
  const small = referenceSize <= (options.smallReferenceMax ?? 1000);
  const categorical = kind === 'categorical' || distinctReferenceValues <= (options.lowCardinalityMax ?? 5);
  const pValue = options.pValueThreshold ?? 0.05;
  const distance = options.distanceThreshold ?? 0.1;
  if (categorical) {
    return small
      ? { test: 'chi_square', thresholdKind: 'p_value', threshold: pValue }
      : { test: 'jensen_shannon', thresholdKind: 'distance', threshold: distance };
  }
  return small
    ? { test: 'ks', thresholdKind: 'p_value', threshold: pValue }
    : { test: 'wasserstein_normed', thresholdKind: 'distance', threshold: distance };
}

export function isDrift(selected: SelectedTest, value: number): boolean {
  return selected.thresholdKind === 'p_value' ? value < selected.threshold : value >= selected.threshold;
}
