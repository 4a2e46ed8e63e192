/**
 * numpy.percentile with its default 'linear' method: the value at fractional rank q/100·(n−1).
 * sklearn sets `offset_ = np.percentile(score_samples(X_train), 100·contamination)`, so matching the
 * interpolation matters for which training rows end up just on either side of the threshold.
 */
export function percentile(values: Float64Array, q: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty sample');
  const sorted = Float64Array.from(values).sort();
  const rank = (q / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const fraction = rank - lo;
  return sorted[lo] + (sorted[hi] - sorted[lo]) * fraction;
}
