import { DotRowsKernel, paddedWidth } from '../wasm/dot-rows-kernel';
import { squaredNorms } from '../wasm/row-norms';
import { LandmarkSelection, selectLandmarks } from './landmark-selection';
import type { LinearFeatures } from './linear-one-class-solver';
import { rbfRow } from './rbf-kernel';

/**
 * Nyström approximation of the RBF kernel: m landmark rows L and a map φ with φ(x)·φ(y) = k(x, L)ᵀ K_LL⁺ k(y, L),
 * the kernel sklearn's Nystroem approximates, exact on the landmarks. sklearn takes φ(x) = K_LL^(−½) k(x, L)
 * from an SVD; this takes φ(x) = R⁻¹ k(x, L) from a pivoted Cholesky factor K_LL = R Rᵀ. The two maps differ
 * by a rotation, which leaves every inner product, hence the one-class dual and its decision function,
 * unchanged, while costing O(m³/3) instead of an SVD and a triangular product per row instead of a full m×m one.
 * Pivoting stops at a residual diagonal of 1e-12 (sklearn floors singular values there too): duplicated or
 * nearly duplicated landmarks add nothing to the span and are dropped, so `count` ≤ the m asked for.
 */
export interface NystroemMap {
  /** The landmarks kept, in pivot order, row-major. */
  readonly landmarks: Float64Array;
  readonly count: number;
  /** R, count×count lower-triangular row-major (row a: landmark a's coordinates on the pivots). */
  readonly factor: Float64Array;
}

const PIVOT_FLOOR = 1e-12;

export function fitNystroem(rows: Float64Array, cols: number, components: number, gamma: number, seed: number, selection: LandmarkSelection = 'uniform'): NystroemMap {
  const picks = selectLandmarks(rows, cols, components, seed, selection);
  const m = picks.length;
  const candidates = new Float64Array(m * cols);
  for (let i = 0; i < m; i++) candidates.set(rows.subarray(picks[i] * cols, (picks[i] + 1) * cols), i * cols);
  const kernel = new Float64Array(m * m);
  for (let i = 0; i < m; i++) rbfRow(candidates, i, candidates, cols, gamma, kernel.subarray(i * m, (i + 1) * m));

  // Pivoted Cholesky: L[q][j] for candidate q and step j; the largest residual diagonal pivots next (lowest index on ties).
  const L = new Float64Array(m * m);
  const residual = Float64Array.from({ length: m }, (_, i) => kernel[i * m + i]);
  const order = Int32Array.from({ length: m }, (_, i) => i);
  let rank = 0;
  for (let j = 0; j < m; j++) {
    let best = j;
    for (let i = j + 1; i < m; i++) if (residual[order[i]] > residual[order[best]]) best = i;
    if (!(residual[order[best]] > PIVOT_FLOOR)) break;
    [order[j], order[best]] = [order[best], order[j]];
    const p = order[j];
    const pivot = Math.sqrt(residual[p]);
    L[p * m + j] = pivot;
    for (let i = j + 1; i < m; i++) {
      const q = order[i];
      let s = kernel[q * m + p];
      for (let t = 0; t < j; t++) s -= L[q * m + t] * L[p * m + t];
      const v = s / pivot;
      L[q * m + j] = v;
      residual[q] -= v * v;
    }
    rank++;
  }
  const landmarks = new Float64Array(rank * cols);
  const factor = new Float64Array(rank * rank);
  for (let a = 0; a < rank; a++) {
    landmarks.set(candidates.subarray(order[a] * cols, (order[a] + 1) * cols), a * cols);
    for (let b = 0; b <= a; b++) factor[a * rank + b] = L[order[a] * m + b];
  }
  return { landmarks, count: rank, factor };
}

/**
 * φ(x) = R⁻¹ k(x, L) of the training rows, as the linear solver asks for them. k(x, L) is formed for every
 * row in the SIMD kernel: the dot products x·l, then sklearn's own expansion exp(−γ(‖x‖² + ‖l‖² − 2x·l))
 * (euclidean_distances, clipped at 0) with an exp equal to Math.exp. The product with R⁻¹ (m²/2 per row,
 * several times the rest) is taken only for the rows the solver pairs up, about a third of them, in
 * batches: its sweeps over every row need only w·φ(x) = (R⁻ᵀw)·k(x, L), one back substitution per sweep.
 * The product with R⁻¹ (formed once, O(m³/6)) is m independent dot products where a forward
 * substitution would be a chain of m dependent ones; both agree far below the solver's tolerance.
 */
export class NystroemFeatures implements LinearFeatures {
  readonly width: number;
  /**
   * φ rows in the order they were formed, so a batch lands in one piece and untouched memory stays
   * unmapped. Outside the kernel memory, which then holds what it held when every φ was formed (k in
   * place of φ): the same 2 GiB bound on n·(F + m).
   */
  readonly values: Float64Array;
  private readonly kernel: DotRowsKernel;
  /** k(x_i, L), n rows kWidth wide (zero padding). */
  private readonly k: Float64Array;
  private readonly kWidth: number;
  private readonly inverse: Float64Array;
  private readonly beta: Float64Array;
  private readonly sweep: Float64Array;
  private readonly pending: Float64Array;
  private readonly batchOut: Float64Array;
  /** Where row i's φ starts in `values`, −1 until formed. */
  private readonly offsets: Int32Array;
  private formed = 0;

  private constructor(
    private readonly map: NystroemMap,
    readonly rows: number,
    cols: number,
    data: Float64Array,
    gamma: number,
  ) {
    const n = rows;
    const m = map.count;
    this.width = m;
    const colWidth = paddedWidth(cols);
    const kWidth = (this.kWidth = paddedWidth(m));
    // rbfRows reads one element past an odd count.
    const batchDots = FEATURE_BATCH * m + 1;
    this.kernel = DotRowsKernel.create(n * colWidth, m * colWidth, m * kWidth, batchDots, n, m + 1, n * kWidth, kWidth, n, FEATURE_BATCH * kWidth, FEATURE_BATCH * m);
    const padded = this.kernel.allocPadded(data, cols);
    const landmarks = this.kernel.allocPadded(map.landmarks, cols);
    this.inverse = this.kernel.alloc(m * kWidth);
    this.inverse.set(lowerInverse(map.factor, m, kWidth));
    const dots = this.kernel.alloc(batchDots);
    const rowNorms = this.kernel.alloc(n);
    rowNorms.set(squaredNorms(data, cols));
    const landmarkNorms = this.kernel.alloc(m + 1);
    landmarkNorms.set(squaredNorms(map.landmarks, cols));
    this.k = this.kernel.alloc(n * kWidth);
    for (let from = 0; from < n; from += FEATURE_BATCH) {
      const batch = Math.min(FEATURE_BATCH, n - from);
      this.kernel.dotRowsBatch(padded, from, batch, landmarks, 0, m, colWidth, dots);
      this.kernel.rbfRows(dots, rowNorms.subarray(from), landmarkNorms, batch, m, gamma, this.k, from * kWidth, kWidth);
    }
    this.beta = this.kernel.alloc(kWidth);
    this.sweep = this.kernel.alloc(n);
    this.pending = this.kernel.alloc(FEATURE_BATCH * kWidth);
    this.batchOut = this.kernel.alloc(FEATURE_BATCH * m);
    this.values = new Float64Array(n * m);
    this.offsets = new Int32Array(n).fill(-1);
  }

  static of(map: NystroemMap, rows: Float64Array, cols: number, gamma: number): NystroemFeatures {
    return new NystroemFeatures(map, rows.length / cols, cols, rows, gamma);
  }

  /** Hands the kernel memory on to the next training; rows formed by then stay readable in `values`. */
  release(): void {
    this.kernel.release();
  }

  /** How many rows have been formed so far. */
  get formedRows(): number {
    return this.formed;
  }

  rowAt(i: number): number {
    if (this.offsets[i] < 0) this.form([i], 1);
    return this.offsets[i];
  }

  form(list: ArrayLike<number>, count: number): void {
    let batch = 0;
    for (let s = 0; s < count; s++) {
      const i = list[s];
      if (this.offsets[i] >= 0) continue;
      this.offsets[i] = (this.formed + batch) * this.width;
      this.pending.set(this.k.subarray(i * this.kWidth, (i + 1) * this.kWidth), batch * this.kWidth);
      if (++batch === FEATURE_BATCH) {
        this.formPending(batch);
        batch = 0;
      }
    }
    if (batch > 0) this.formPending(batch);
  }

  /** φ of the `batch` rows whose k(x, L) wait in `pending`, into the next rows of `values`. */
  private formPending(batch: number): void {
    this.kernel.dotRowsBatch(this.pending, 0, batch, this.inverse, 0, this.width, this.kWidth, this.batchOut, 0, true);
    this.values.set(this.batchOut.subarray(0, batch * this.width), this.formed * this.width);
    this.formed += batch;
  }

  dots(w: Float64Array, index: Int32Array, count: number): Float64Array {
    this.beta.set(landmarkCoefficients(this.map, w));
    // Runs of consecutive rows go to the kernel in one call each.
    for (let s = 0; s < count; ) {
      let end = s + 1;
      while (end < count && index[end] === index[end - 1] + 1) end++;
      this.kernel.dotRows(this.beta, 0, this.k, index[s], end - s, this.kWidth, this.sweep, index[s]);
      s = end;
    }
    return this.sweep;
  }

  combination(weights: Float64Array): Float64Array {
    // Σ a_i φ_i = R⁻¹ Σ a_i k_i: one forward substitution instead of a product with R⁻¹ per row.
    const m = this.width;
    const sum = new Float64Array(m);
    for (let i = 0; i < this.rows; i++) {
      if (weights[i] === 0) continue;
      for (let c = 0, o = i * this.kWidth; c < m; c++) sum[c] += weights[i] * this.k[o + c];
    }
    const R = this.map.factor;
    for (let a = 0; a < m; a++) {
      let s = sum[a];
      for (let b = 0; b < a; b++) s -= R[a * m + b] * sum[b];
      sum[a] = s / R[a * m + a];
    }
    return sum;
  }
}

/** Rows whose k(x, L) one kernel call forms: their dot products (1.6 KB each at m = 200) stay in L1. */
const FEATURE_BATCH = 16;

/** R⁻¹ of a lower-triangular m×m R (row-major), lower-triangular too, in rows `width` wide. */
function lowerInverse(R: Float64Array, m: number, width: number): Float64Array {
  const inverse = new Float64Array(m * width);
  for (let col = 0; col < m; col++) {
    // Column col of R⁻¹ solves R x = e_col by forward substitution; x is zero above col.
    inverse[col * width + col] = 1 / R[col * m + col];
    for (let a = col + 1; a < m; a++) {
      let s = 0;
      for (let b = col; b < a; b++) s -= R[a * m + b] * inverse[b * width + col];
      inverse[a * width + col] = s / R[a * m + a];
    }
  }
  return inverse;
}

/** Coefficients β on the landmarks with β·k(x, L) = w·φ(x): β = R⁻ᵀ w, by back substitution. */
export function landmarkCoefficients(map: NystroemMap, w: Float64Array): Float64Array {
  const m = map.count;
  const R = map.factor;
  const beta = new Float64Array(m);
  for (let a = m - 1; a >= 0; a--) {
    let s = w[a];
    for (let b = a + 1; b < m; b++) s -= R[b * m + a] * beta[b];
    beta[a] = s / R[a * m + a];
  }
  return beta;
}
