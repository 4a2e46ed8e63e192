/**
 * Spearman's rank correlation (scipy.stats.spearmanr): Pearson's correlation of the two samples'
 * ranks, tied values sharing their mean rank. It asks whether two scorers ORDER the same events
 * alike, whatever their scales: what matters for anomaly scores, which analysts read as a ranking.
 * NaN when either sample is constant (no ranking to compare), as scipy.
 */
export function spearmanCorrelation(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`samples differ in length (${a.length} and ${b.length})`);
  if (a.length < 2) throw new RangeError('a rank correlation needs at least two pairs');
  return pearson(midRanks(a), midRanks(b));
}

/** 1-based ranks, ties given the mean of the ranks they span (scipy.stats.rankdata 'average'). */
export function midRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  for (let i = 0; i < n; i++) if (Number.isNaN(values[i])) throw new RangeError(`value ${i} is NaN`);
  // A native numeric sort and two binary searches per value: several times faster than sorting indices with a comparator.
  const sorted = Float64Array.from(values).sort();
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const first = bound(sorted, values[i], false);
    const last = bound(sorted, values[i], true) - 1;
    ranks[i] = (first + last) / 2 + 1;
  }
  return ranks;
}

/** First index whose value is ≥ v (or > v when `after`). */
function bound(sorted: Float64Array, v: number, after: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < v || (after && sorted[mid] === v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function pearson(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? NaN : sxy / Math.sqrt(sxx * syy);
}
