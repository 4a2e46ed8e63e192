import { DotRowsKernel, paddedWidth } from '../wasm/dot-rows-kernel';
import { squaredNorms } from '../wasm/row-norms';
import { neighborBound, offerNeighbor } from './nearest-neighbors';
import { NeighborLists } from './neighbor-lists';

/**
 * Relative slack on the expanded squared distance ‖a‖² + ‖b‖² − 2a·b. Its rounding error is below
 * (cols + 2)·2⁻⁵³·(‖a‖² + ‖b‖²) times a small constant; 1e-12 leaves a wide margin for any width
 * libs/ml sees, and only costs a few extra exact distances.
 */
const EXPANSION_SLACK = 1e-12;

/**
 * Visits pairs of training rows and offers each one's exact distance to both rows' lists (the distance is
 * symmetric, so a pair (i, j > i) is visited once for both). A SIMD kernel computes row i's dot products
 * with a run of later rows; the expansion ‖a‖² + ‖b‖² − 2a·b, loosened by its rounding error, only screens
 * pairs against each list's current bound. A pair that might enter either list gets its exact distance
 * from coordinate differences, bit for bit kNearest's, so duplicates stay at exactly 0 and the lists do not
 * depend on the screen, nor on the order pairs are visited in. Brute force beats the projection sweep
 * here: in 17 to 39 standardised columns one axis prunes little, while the screen costs a couple of SIMD
 * instructions per column. The kernel's memory is private, so each thread builds its own screen.
 */
export class PairScreen {
  private readonly width: number;
  private readonly kernel: DotRowsKernel;
  private readonly rows: Float64Array;
  private readonly norms: Float64Array;
  private readonly bound: Float64Array;
  private readonly candidates: Int32Array;

  constructor(
    private readonly training: Float64Array,
    private readonly cols: number,
    readonly lists: NeighborLists,
  ) {
    const n = training.length / cols;
    const width = (this.width = paddedWidth(cols));
    this.kernel = DotRowsKernel.create(n * width, n, n, n / 2);
    this.rows = this.kernel.allocPadded(training, cols);
    this.norms = this.kernel.alloc(n);
    this.bound = this.kernel.alloc(n).fill(Infinity);
    this.candidates = this.kernel.allocIndices(n);
    this.norms.set(squaredNorms(training, cols));
  }

  /** The pairs (i, j) with i in [iFrom, iTo), j in [jFrom, jTo) and j > i. */
  visit(iFrom: number, iTo: number, jFrom: number, jTo: number): void {
    const { training, cols, rows, norms, bound, candidates, width } = this;
    const { k, neighbors, distance2, steps, filled } = this.lists;
    for (let i = iFrom; i < iTo; i++) {
      const first = Math.max(i + 1, jFrom);
      if (first >= jTo) continue;
      const found = this.kernel.screenRows(rows, i, rows, first, jTo - first, width, norms, bound, candidates, norms[i], bound[i], EXPANSION_SLACK);
      for (let t = 0; t < found; t++) {
        const j = first + candidates[t];
        const d2 = exactDistance2(training, i, j, cols);
        if (d2 <= bound[i]) {
          filled[i] = offerNeighbor(steps, distance2, neighbors, i * k, k, filled[i], j, d2);
          if (filled[i] === k) bound[i] = neighborBound(distance2, i * k, k);
        }
        if (d2 <= bound[j]) {
          filled[j] = offerNeighbor(steps, distance2, neighbors, j * k, k, filled[j], i, d2);
          if (filled[j] === k) bound[j] = neighborBound(distance2, j * k, k);
        }
      }
    }
  }
}

/** Summed from coordinate differences in column order, as kNearest does: the same bits for (i, j) and (j, i). */
function exactDistance2(rows: Float64Array, i: number, j: number, cols: number): number {
  const a = i * cols;
  const b = j * cols;
  let d2 = 0;
  for (let c = 0; c < cols; c++) {
    const d = rows[a + c] - rows[b + c];
    d2 += d * d;
  }
  return d2;
}
