/**
 * Summary of an unlabelled score distribution — what the monitor can report for every batch in
 * production, where labels never arrive: quantiles (numpy's default linear interpolation), mean,
 * population std, and the alert rate at a threshold (share of score >= threshold, the alert rule).
 */
export interface ScoreSummary {
  count: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  quantiles: Record<string, number>;
  threshold?: number;
  shareAboveThreshold?: number;
}

export const DEFAULT_SUMMARY_QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999] as const;

export function summarizeScores(
  scores: ArrayLike<number>,
  options: { threshold?: number; quantiles?: readonly number[] } = {},
): ScoreSummary {
  const sorted = Float64Array.from(scores).filter((s) => !Number.isNaN(s)).sort();
  const n = sorted.length;
  if (n === 0) throw new RangeError('summarizeScores needs at least one score');
  let sum = 0;
  for (const s of sorted) sum += s;
  const mean = sum / n;
  let ss = 0;
  for (const s of sorted) ss += (s - mean) ** 2;
  const quantiles: Record<string, number> = {};
  for (const q of options.quantiles ?? DEFAULT_SUMMARY_QUANTILES) {
    const pos = (n - 1) * q;
    const lo = Math.floor(pos);
    const hi = Math.min(lo + 1, n - 1);
    quantiles[`p${+(q * 100).toFixed(4)}`] = sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  }
  const summary: ScoreSummary = { count: n, mean, std: Math.sqrt(ss / n), min: sorted[0], max: sorted[n - 1], quantiles };
  if (options.threshold !== undefined) {
    let above = 0;
    for (const s of sorted) if (s >= options.threshold) above++;
    summary.threshold = options.threshold;
    summary.shareAboveThreshold = above / n;
  }
  return summary;
}
