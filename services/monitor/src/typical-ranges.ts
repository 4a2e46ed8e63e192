import { FeatureSpec, FeatureStatistics, MonitorStatistics } from '@flowsentry/ml';

/** The middle 90 % of a model feature on the champion's training rows, in the feature's own units. */
export interface TypicalRange {
  low: number;
  high: number;
}

export const TYPICAL_LOW_QUANTILE = 0.05;
export const TYPICAL_HIGH_QUANTILE = 0.95;

/**
 * Typical range per model feature name, from the baseline's statistics: the 5th and 95th
 * percentiles of the SILVER column the feature reads (over every present training value, from
 * the quantile sketch), carried through the feature's transform. The transforms are monotone
 * (identity, log1p), so the transform of a quantile is the quantile of the transform. Features
 * that are not one column through a monotone transform (an ordinal code, a ratio of several
 * columns) get no range: an analyst reads the category itself on the event.
 */
export function typicalRanges(spec: FeatureSpec, statistics: MonitorStatistics): Map<string, TypicalRange> {
  const byName = new Map(statistics.features.map((f) => [f.name, f]));
  const ranges = new Map<string, TypicalRange>();
  for (const feature of spec.features) {
    if (feature.kind !== 'numeric') continue;
    const stats = byName.get(feature.field);
    const low = stats && sketchQuantile(stats, TYPICAL_LOW_QUANTILE);
    const high = stats && sketchQuantile(stats, TYPICAL_HIGH_QUANTILE);
    if (low === undefined || high === undefined) continue;
    const transform = feature.transform === 'log1p' ? Math.log1p : (x: number) => x;
    const range = { low: transform(low), high: transform(high) };
    if (Number.isFinite(range.low) && Number.isFinite(range.high)) ranges.set(feature.name, range);
  }
  return ranges;
}

/**
 * Quantile `q` of a numeric feature from its KLL sketch: items of level h weigh 2^h; the
 * quantile is the first item whose cumulative weight reaches q of the total (the sketch's own
 * rank semantics). undefined when the feature is not numeric or had no values.
 */
export function sketchQuantile(feature: FeatureStatistics, q: number): number | undefined {
  const sketch = feature.numerical_statistics?.distribution.kll.sketch;
  if (!sketch || (feature.numerical_statistics?.common.num_present ?? 0) === 0) return undefined;
  const items: Array<[value: number, weight: number]> = [];
  sketch.data.forEach((level, h) => {
    for (const value of level) items.push([value, 2 ** h]);
  });
  if (items.length === 0) return undefined;
  items.sort((a, b) => a[0] - b[0]);
  const total = items.reduce((sum, [, w]) => sum + w, 0);
  let cumulative = 0;
  for (const [value, weight] of items) {
    cumulative += weight;
    if (cumulative >= q * total) return value;
  }
  return items[items.length - 1]![0];
}
