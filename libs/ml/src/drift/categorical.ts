import { chiSquareSurvival } from './special-functions';

/**
 * Tests for categorical columns, working on category → count maps (a baseline stores the complete
 * reference counts, so these tests are exact, not sketch-based).
 */
export type CategoryCounts = ReadonlyMap<string, number>;

export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  dof: number;
}

/**
 * Chi-square test of homogeneity on the 2×k table (reference counts, batch counts), as
 * scipy.stats.chi2_contingency(table) with its defaults — including Yates' continuity correction
 * when dof = 1 (two categories).
 *
 * We use the two-sample contingency test rather than Evidently's goodness-of-fit
 * (scipy.stats.chisquare against reference shares) because the reference is itself a sample:
 * goodness-of-fit treats its shares as exact and so over-alarms when the reference is small —
 * precisely the regime (≤ 1000 reference rows) in which this test is selected. Categories absent
 * from both samples are dropped; a category seen only in the batch is kept (it is the signal).
 */
export function chiSquareContingency(reference: CategoryCounts, batch: CategoryCounts): ChiSquareResult {
  const categories = unionKeys(reference, batch).filter((c) => (reference.get(c) ?? 0) + (batch.get(c) ?? 0) > 0);
  const refTotal = sum(reference);
  const batchTotal = sum(batch);
  const total = refTotal + batchTotal;
  const dof = categories.length - 1;
  if (dof <= 0 || refTotal === 0 || batchTotal === 0) return { statistic: 0, pValue: 1, dof: Math.max(dof, 0) };
  let statistic = 0;
  for (const c of categories) {
    const colTotal = (reference.get(c) ?? 0) + (batch.get(c) ?? 0);
    for (const [observed, rowTotal] of [
      [reference.get(c) ?? 0, refTotal],
      [batch.get(c) ?? 0, batchTotal],
    ]) {
      const expected = (rowTotal * colTotal) / total;
      let o = observed;
      if (dof === 1) o += Math.sign(expected - observed) * Math.min(0.5, Math.abs(expected - observed));
      statistic += ((o - expected) * (o - expected)) / expected;
    }
  }
  return { statistic, pValue: chiSquareSurvival(statistic, dof), dof };
}

/**
 * Goodness-of-fit against baseline frequencies, as scipy.stats.chisquare(f_obs, f_exp) with
 * f_exp = reference share × batch size (Evidently's categorical test). Exported for comparison
 * and for callers that treat the baseline as the truth; drift checks use chiSquareContingency.
 * Batch categories absent from the reference make the statistic infinite (p = 0).
 */
export function chiSquareGoodnessOfFit(reference: CategoryCounts, batch: CategoryCounts): ChiSquareResult {
  const categories = unionKeys(reference, batch);
  const refTotal = sum(reference);
  const batchTotal = sum(batch);
  let statistic = 0;
  for (const c of categories) {
    const expected = ((reference.get(c) ?? 0) / refTotal) * batchTotal;
    const observed = batch.get(c) ?? 0;
    statistic += expected === 0 ? (observed === 0 ? 0 : Infinity) : ((observed - expected) ** 2) / expected;
  }
  const dof = categories.length - 1;
  return { statistic, pValue: dof > 0 ? chiSquareSurvival(statistic, dof) : 1, dof };
}

/**
 * Jensen–Shannon distance (square root of the JS divergence, natural log), as
 * scipy.spatial.distance.jensenshannon(p, q) on the category shares. Bounded by sqrt(ln 2) ≈ 0.83,
 * symmetric, and finite when a category is new — which is why it suits large references where
 * p-values would flag negligible changes.
 */
export function jensenShannonDistance(reference: CategoryCounts, batch: CategoryCounts): number {
  const refTotal = sum(reference);
  const batchTotal = sum(batch);
  if (refTotal === 0 || batchTotal === 0) throw new RangeError('jensenShannonDistance needs two non-empty samples');
  let divergence = 0;
  for (const c of unionKeys(reference, batch)) {
    const p = (reference.get(c) ?? 0) / refTotal;
    const q = (batch.get(c) ?? 0) / batchTotal;
    const m = (p + q) / 2;
    if (p > 0) divergence += p * Math.log(p / m);
    if (q > 0) divergence += q * Math.log(q / m);
  }
  return Math.sqrt(Math.max(0, divergence / 2));
}

/** Count occurrences of each category (null / undefined skipped). */
export function countCategories(values: ArrayLike<string | number | null | undefined>): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    const key = String(v);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function unionKeys(a: CategoryCounts, b: CategoryCounts): string[] {
  const keys = new Set<string>(a.keys());
  for (const k of b.keys()) keys.add(k);
  return [...keys].sort();
}

function sum(counts: CategoryCounts): number {
  let total = 0;
  for (const v of counts.values()) total += v;
  return total;
}
