import { averagePathLength } from '../forest/average-path-length';

/**
 * The number of training rows n (1…maxSamples) behind a leaf whose stored weight is `weight` =
 * depth + c(n) rounded to float32, or undefined if no n gives that weight. c is strictly increasing,
 * so a binary search finds the two candidates around the weight and the nearer one must match within
 * float32 rounding. Neighbouring sizes differ by c(n+1) − c(n) ≈ 2/n, far above that rounding for any
 * max_samples below a few hundred thousand (the default is 256).
 */
export function leafSize(weight: number, depth: number, maxSamples: number): number | undefined {
  const adjustment = weight - depth;
  let low = 1;
  let high = maxSamples;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (averagePathLength(mid) < adjustment) low = mid + 1;
    else high = mid;
  }
  // `low` is the first n with c(n) ≥ adjustment; rounding may have put the weight just below it.
  const candidates = low > 1 ? [low - 1, low] : [low];
  let best: number | undefined;
  let bestError = Infinity;
  for (const n of candidates) {
    const error = Math.abs(depth + averagePathLength(n) - weight);
    if (error < bestError) {
      best = n;
      bestError = error;
    }
  }
  return bestError <= FLOAT32_HALF_ULP * Math.max(1, Math.abs(weight)) * 2 ? best : undefined;
}

/** Half a float32 unit in the last place, relative: the most that rounding a float64 weight to float32 moves it. */
const FLOAT32_HALF_ULP = 2 ** -24;
