import { sampleWithoutReplacement } from '../forest/row-sampling';
import { SeededRandom } from '../forest/seeded-random';
import { DotRowsKernel, paddedWidth } from '../wasm/dot-rows-kernel';
import { squaredNorms } from '../wasm/row-norms';

/**
 * How Nyström landmarks are drawn from the training rows.
 * - 'uniform': m rows at random, as sklearn's Nystroem draws them.
 * - 'farthest-first': a seeded random row, then each next landmark the row farthest from every landmark
 *   so far (Gonzalez's k-center traversal). Every training row ends within the covering radius r of a
 *   landmark: its kernel to the nearest landmark is at least exp(−γr²), so no region of the training data
 *   lies out of the landmarks' reach.
 *
 * Why it matters for a one-class SVM: w·φ(x) = Σ β_a k(x, L_a) with coefficients β of either sign. A
 * training row far from every uniform landmark scores near 0, as low as a flow far outside all of the
 * training data; with a 0.1% alert rate the threshold then sits among such rows, and flows a thousand times
 * larger than anything trained on can pass under it (docs/ALGORITHMS.md, "Landmarks").
 */
export const LANDMARK_SELECTIONS = ['uniform', 'farthest-first'] as const;

export type LandmarkSelection = (typeof LANDMARK_SELECTIONS)[number];

/** Row indices of the landmark candidates, ascending. */
export function selectLandmarks(rows: Float64Array, cols: number, count: number, seed: number, selection: LandmarkSelection): Int32Array {
  const n = rows.length / cols;
  const m = Math.min(count, n);
  const random = new SeededRandom(seed);
  if (selection === 'uniform') return sampleWithoutReplacement(n, m, random).sort();
  return farthestFirst(rows, cols, m, sampleWithoutReplacement(n, 1, random)[0]).sort();
}

/**
 * O(n·m·F) in the SIMD dot-product kernel: one pass over the rows per landmark, each row's squared
 * distance to its nearest landmark kept. Stops early once every row coincides with a landmark
 * (duplicated data): further picks would repeat rows the pivoted Cholesky drops anyway.
 */
function farthestFirst(rows: Float64Array, cols: number, m: number, first: number): Int32Array {
  const n = rows.length / cols;
  const width = paddedWidth(cols);
  const kernel = DotRowsKernel.create(n * width, n);
  try {
    const padded = kernel.allocPadded(rows, cols);
    const dots = kernel.alloc(n);
    const norms = squaredNorms(rows, cols);
    const nearest = new Float64Array(n).fill(Infinity);
    const picks: number[] = [];
    for (let next = first; picks.length < m; ) {
      picks.push(next);
      nearest[next] = 0;
      kernel.dotRows(padded, next, padded, 0, n, width, dots);
      const norm = norms[next];
      let farthest = -1;
      let farthestDistance = 0;
      for (let i = 0; i < n; i++) {
        // sklearn's expansion, clipped at 0 where rounding takes it below.
        const d2 = Math.max(0, norms[i] + norm - 2 * dots[i]);
        if (d2 < nearest[i]) nearest[i] = d2;
        if (nearest[i] > farthestDistance) {
          farthestDistance = nearest[i];
          farthest = i;
        }
      }
      if (farthest < 0) break;
      next = farthest;
    }
    return Int32Array.from(picks);
  } finally {
    kernel.release();
  }
}
