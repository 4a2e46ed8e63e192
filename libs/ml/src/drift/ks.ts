import { kolmogorovSurvival } from './kolmogorov';
import { gcd, roundHalfEven } from './special-functions';
import { sortedCopy, type NumericSample } from './sorted-sample';

/**
 * Two-sample Kolmogorov–Smirnov test, two-sided, matching scipy.stats.ks_2samp(x, y) with its
 * default method='auto':
 * - 'exact' when max(n1, n2) <= 10 000 (SciPy's MAX_AUTO_N): the null distribution of D is counted
 *   on the lattice of paths (Hodges 1958), using the 1 - p recursion of Viehmann (2021) which stays
 *   in [0, 1] and so never overflows; equal sample sizes use the closed alternating sum.
 * - 'asymp' above that: kstwo.sf(D, round(n1 n2 / (n1 + n2))), the finite-n Kolmogorov law at the
 *   effective sample size.
 * Ties are handled as SciPy does: the empirical CDFs are compared at every pooled value with
 * right-continuous steps, so tied values move both CDFs together.
 */
export type KsMethod = 'auto' | 'exact' | 'asymp';

export interface KsResult {
  statistic: number;
  pValue: number;
  /** Which null distribution produced the p-value. */
  method: 'exact' | 'asymp';
  n1: number;
  n2: number;
}

/** Largest sample size for which 'auto' uses the exact distribution (SciPy's MAX_AUTO_N). */
export const KS_EXACT_MAX_N = 10_000;

export function ks2Sample(x: NumericSample, y: NumericSample, method: KsMethod = 'auto'): KsResult {
  return ks2SampleSorted(sortedCopy(x), sortedCopy(y), method);
}

/** As ks2Sample, for callers that keep their samples sorted (a baseline sorts its sample once). */
export function ks2SampleSorted(a: Float64Array, b: Float64Array, method: KsMethod = 'auto'): KsResult {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('ks2Sample needs two non-empty samples');
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  // D·lcm is an integer: computing it from counts keeps the statistic exact, which the lattice
  // count needs (SciPy rounds D·lcm to recover the same integer).
  const h = maxCdfGap(a, b, lcm / n1, lcm / n2);
  const statistic = h / lcm;

  let mode: 'exact' | 'asymp' = method === 'asymp' ? 'asymp' : 'exact';
  if (method === 'auto' && Math.max(n1, n2) > KS_EXACT_MAX_N) mode = 'asymp';
  if (method === 'exact' && n1 / g >= 2147483647 / (n2 / g)) mode = 'asymp';

  let pValue = Number.NaN;
  if (mode === 'exact') {
    pValue = h === 0 ? 1 : n1 === n2 ? probOutsideSquare(n1, h) : probOutsideInside(n1, n2, g, h);
    if (!(pValue >= 0 && pValue <= 1)) mode = 'asymp';
  }
  if (mode === 'asymp') {
    const en = (n1 * n2) / (n1 + n2);
    pValue = kolmogorovSurvival(roundHalfEven(en), statistic);
  }
  return { statistic, pValue: Math.min(1, Math.max(0, pValue)), method: mode, n1, n2 };
}

/** max over pooled values of |c_a·wa - c_b·wb| where c are counts ≤ value; integer arithmetic. */
function maxCdfGap(a: Float64Array, b: Float64Array, wa: number, wb: number): number {
  let i = 0;
  let j = 0;
  let best = 0;
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i] <= b[j]) ? a[i] : b[j];
    while (i < a.length && a[i] === v) i++;
    while (j < b.length && b[j] === v) j++;
    const gap = Math.abs(i * wa - j * wb);
    if (gap > best) best = gap;
  }
  return best;
}

/**
 * P(D >= h/n) for n1 = n2 = n: 2 Σ_k (-1)^(k+1) C(2n, n - k h) / C(2n, n). Each ratio is a product of
 * h factors below one, so we evaluate the alternating sum from the innermost term outwards
 * (P = 2 A1 (1 - A2/A1 (1 - ...))) to avoid subtracting nearly equal large numbers.
 */
function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    for (let j = 0; j < h; j++) ratio = ((n - k * h - j) * ratio) / (n + k * h + j + 1);
    p = ratio * (1 - p);
  }
  return 2 * p;
}

/**
 * P(D >= h/lcm) for n1 ≠ n2 by the "inside" lattice method: walk the m×n grid one column at a
 * time, keeping for each reachable row the probability that a path to that node has already left
 * the band |x/m - y/n| < h/lcm. Only a sliding window of rows inside the band is stored, so memory
 * is O(band width) and time O(m × band width).
 */
function probOutsideInside(n1: number, n2: number, g: number, h: number): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const mg = m / g;
  const ng = n / g;
  let lo = 0;
  let hi = Math.min(Math.ceil(h / mg), n + 1);
  let width = hi - lo;
  const window = new Float64Array(Math.min(2 * hi + 2, n + 1)).fill(1);
  window.fill(0, lo, hi);
  for (let i = 1; i <= m; i++) {
    const prevLo = lo;
    const prevWidth = width;
    lo = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    hi = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (hi <= lo) return 1;
    // Node (i, j) is reached from (i-1, j) with weight i/(i+j) and from (i, j-1) with j/(i+j);
    // nodes outside the band count as "already left" (probability 1).
    let below = lo === 0 ? 0 : 1;
    for (let jj = 0; jj < hi - lo; jj++) {
      const j = jj + lo;
      below = (window[jj + lo - prevLo] * i + below * j) / (i + j);
      window[jj] = below;
    }
    width = hi - lo;
    if (prevWidth > width) window.fill(1, width, width + (prevWidth - width));
  }
  return window[hi - lo - 1];
}
