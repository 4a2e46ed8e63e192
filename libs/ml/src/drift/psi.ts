import { quantileSorted, sortedCopy, type NumericSample } from './sorted-sample';

/**
 * Population Stability Index with bins at reference quantiles:
 *   PSI = Σ_i (a_i - e_i) · ln(a_i / e_i)
 * e_i, a_i = reference and batch shares per bin. Quantile bins give every bin about 1/bins of the
 * reference mass, so PSI weighs all parts of the distribution equally (equal-width bins would put
 * most of a skewed flow counter into one bin). Empty bins are floored at `epsilon` (1e-4, the
 * value Evidently uses) so the logarithm stays finite. Duplicate edges — heavy ties, common in
 * counters such as packet counts — are merged, so discrete columns get fewer, populated bins.
 *
 * Conventional reading: < 0.1 stable, 0.1–0.25 moderate shift, >= 0.25 major shift.
 */
export interface PsiOptions {
  bins?: number;
  epsilon?: number;
}

export interface PsiResult {
  psi: number;
  /** Interior bin edges; bin i is [edges[i-1], edges[i]) with open ends. */
  edges: number[];
  referenceShares: number[];
  batchShares: number[];
}

export function psi(reference: NumericSample, batch: NumericSample, options: PsiOptions = {}): PsiResult {
  return psiSorted(sortedCopy(reference), sortedCopy(batch), options);
}

export function quantileEdges(sortedReference: Float64Array, bins: number): number[] {
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const e = quantileSorted(sortedReference, i / bins);
    if (edges.length === 0 || e > edges[edges.length - 1]) edges.push(e);
  }
  return edges;
}

export function psiSorted(reference: Float64Array, batch: Float64Array, options: PsiOptions = {}): PsiResult {
  const bins = options.bins ?? 10;
  const epsilon = options.epsilon ?? 1e-4;
  if (reference.length === 0 || batch.length === 0) throw new RangeError('psi needs two non-empty samples');
  const edges = quantileEdges(reference, bins);
  const referenceShares = binShares(reference, edges);
  const batchShares = binShares(batch, edges);
  let total = 0;
  for (let i = 0; i < referenceShares.length; i++) {
    const e = Math.max(referenceShares[i], epsilon);
    const a = Math.max(batchShares[i], epsilon);
    total += (a - e) * Math.log(a / e);
  }
  return { psi: total, edges, referenceShares, batchShares };
}

function binShares(sorted: Float64Array, edges: number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  let bin = 0;
  for (let i = 0; i < sorted.length; i++) {
    while (bin < edges.length && sorted[i] >= edges[bin]) bin++;
    counts[bin]++;
  }
  return counts.map((c) => c / sorted.length);
}
