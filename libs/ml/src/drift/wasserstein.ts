import { sortedCopy, type NumericSample } from './sorted-sample';

/**
 * First Wasserstein (earth mover's) distance between two 1-D empirical distributions, as
 * scipy.stats.wasserstein_distance(u, v) with unit weights: ∫ |F_u(t) - F_v(t)| dt, evaluated
 * exactly as a sum over the gaps between pooled sorted values. Unlike KS it is in the units of the
 * data, which is why test selection divides it by the reference standard deviation.
 */
export function wasserstein1(u: NumericSample, v: NumericSample): number {
  return wasserstein1Sorted(sortedCopy(u), sortedCopy(v));
}

export function wasserstein1Sorted(a: Float64Array, b: Float64Array): number {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('wasserstein1 needs two non-empty samples');
  let i = 0;
  let j = 0;
  let total = 0;
  let previous = Math.min(a[0], b[0]);
  while (i < n1 || j < n2) {
    const next = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
    // On [previous, next) both CDFs are constant at i/n1 and j/n2.
    total += Math.abs(i / n1 - j / n2) * (next - previous);
    while (i < n1 && a[i] === next) i++;
    while (j < n2 && b[j] === next) j++;
    previous = next;
  }
  return total;
}
