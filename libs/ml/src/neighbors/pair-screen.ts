import { DotRowsKernel, paddedWidth } from '../wasm/dot-rows-kernel';
import { squaredNorms } from '../wasm/row-norms';
import { f32ScreenSlack } from '../wasm/screen-rows-f32-function';
import { distanceStep, neighborBound, offerNeighbor } from './nearest-neighbors';
import { NeighborLists } from './neighbor-lists';
import { SharedBounds } from './shared-bounds';

/**
 * Relative slack of the float64 screen on the expanded squared distance ‖a‖² + ‖b‖² − 2a·b. Its rounding
 * error is below (cols + 2)·2⁻⁵³·(‖a‖² + ‖b‖²) times a small constant; 1e-12 leaves a wide margin for any
 * width libs/ml sees, and only costs a few extra exact distances.
 */
const EXPANSION_SLACK = 1e-12;

/**
 * The float32 screen's error bound is relative to ‖a‖² + ‖b‖², which holds while no product of two values
 * overflows (|values| ≤ 1e15) and while the absolute error of products that underflow (≤ 2⁻¹⁴⁹ each) stays
 * far below the slack: every row's squared norm 0 or ≥ 1e-30. And the slack, growing with the norms, only
 * screens well while the rows sit around the origin, as standardised data (LOF's default) does: the mean
 * row's squared norm at most 3× the total variance, so norms are within ~4× the spread. Other data is
 * screened in float64.
 */
const F32_SCREEN = { maxValue: 1e15, minSquaredNorm: 1e-30, maxOffsetToSpread: 3 };

function fitsFloat32Screen(rows: Float64Array, cols: number, norms: Float64Array): boolean {
  for (let i = 0; i < rows.length; i++) if (Math.abs(rows[i]) > F32_SCREEN.maxValue) return false;
  if (!norms.every((norm) => norm === 0 || norm >= F32_SCREEN.minSquaredNorm)) return false;
  const n = norms.length;
  const means = new Float64Array(cols);
  for (let i = 0; i < rows.length; i++) means[i % cols] += rows[i];
  let offset = 0;
  for (let c = 0; c < cols; c++) offset += (means[c] /= n) ** 2;
  let spread = 0;
  for (let i = 0; i < rows.length; i++) spread += (rows[i] - means[i % cols]) ** 2;
  return offset <= F32_SCREEN.maxOffsetToSpread * (spread / n);
}

/**
 * Visits pairs of training rows and offers each one's exact distance to both rows' lists (the distance is
 * symmetric, so a pair (i, j > i) is visited once for both). A SIMD kernel computes row i's dot products
 * with a run of later rows; the expansion ‖a‖² + ‖b‖² − 2a·b, loosened by its rounding error, only screens
 * pairs against each list's current bound. The products are taken on float32 copies of the rows (four
 * columns per SIMD instruction, where float64 takes two), with the slack widened for float32's rounding
 * (f32ScreenSlack: ~3e-6 of ‖a‖² + ‖b‖² at 40 columns), where the data fits F32_SCREEN; elsewhere in float64. A pair that might enter either list gets its exact distance
 * from coordinate differences, bit for bit kNearest's, so duplicates stay at exactly 0 and the lists do not
 * depend on the screen, nor on the order pairs are visited in. Brute force beats the projection sweep
 * here: in 17 to 39 standardised columns one axis prunes little, while the screen costs a couple of SIMD
 * instructions per column. The kernel's memory is private, so each thread builds its own screen; threads
 * of one search pass `shared`, through which they screen against each other's bounds too.
 */
export class PairScreen {
  private readonly width: number;
  private readonly kernel: DotRowsKernel;
  /** Float32 rows, or float64 ones where the data does not fit the float32 screen. */
  private readonly rows: Float32Array | Float64Array;
  private readonly slack: number;
  private readonly norms: Float64Array;
  private readonly bound: Float64Array;
  private readonly candidates: Int32Array;

  constructor(
    private readonly training: Float64Array,
    private readonly cols: number,
    readonly lists: NeighborLists,
    private readonly shared?: SharedBounds,
  ) {
    const n = training.length / cols;
    const width = (this.width = paddedWidth(cols));
    const rowNorms = squaredNorms(training, cols);
    const f32 = fitsFloat32Screen(training, cols, rowNorms);
    // Room counts in float64: float32 rows take half as much.
    this.kernel = DotRowsKernel.create(f32 ? Math.ceil((n * width) / 2) : n * width, n, n, n / 2);
    this.rows = f32 ? this.kernel.allocPaddedFloat32(training, cols) : this.kernel.allocPadded(training, cols);
    this.slack = f32 ? f32ScreenSlack(width) : EXPANSION_SLACK;
    this.norms = this.kernel.alloc(n);
    this.bound = this.kernel.alloc(n).fill(Infinity);
    this.candidates = this.kernel.allocIndices(n);
    this.norms.set(rowNorms);
  }

  /** The pairs (i, j) with i in [iFrom, iTo), j in [jFrom, jTo) and j > i. */
  visit(iFrom: number, iTo: number, jFrom: number, jTo: number): void {
    const { training, cols, rows, norms, bound, candidates, width, slack } = this;
    const { k, neighbors, distance2, steps, filled } = this.lists;
    this.shared?.tighten(bound, iFrom, iTo);
    this.shared?.tighten(bound, jFrom, jTo);
    for (let i = iFrom; i < iTo; i++) {
      const first = Math.max(i + 1, jFrom);
      if (first >= jTo) continue;
      const found =
        rows instanceof Float32Array
          ? this.kernel.screenRowsF32(rows, i, rows, first, jTo - first, width, norms, bound, candidates, norms[i], bound[i], slack)
          : this.kernel.screenRows(rows, i, rows, first, jTo - first, width, norms, bound, candidates, norms[i], bound[i], slack);
      for (let t = 0; t < found; t++) {
        const j = first + candidates[t];
        const d2 = exactDistance2(training, i, j, cols);
        const toI = d2 <= bound[i];
        const toJ = d2 <= bound[j];
        if (!toI && !toJ) continue;
        const step = distanceStep(d2);
        if (toI) {
          filled[i] = offerNeighbor(steps, distance2, neighbors, i * k, k, filled[i], j, d2, step);
          if (filled[i] === k) bound[i] = Math.min(bound[i], neighborBound(distance2, i * k, k));
        }
        if (toJ) {
          filled[j] = offerNeighbor(steps, distance2, neighbors, j * k, k, filled[j], i, d2, step);
          if (filled[j] === k) bound[j] = Math.min(bound[j], neighborBound(distance2, j * k, k));
        }
      }
    }
    this.shared?.publish(bound, iFrom, iTo);
    this.shared?.publish(bound, jFrom, jTo);
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
