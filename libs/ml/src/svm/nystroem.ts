import { sampleWithoutReplacement } from '../forest/row-sampling';
import { SeededRandom } from '../forest/seeded-random';
import { DotRowsKernel, paddedWidth } from '../wasm/dot-rows-kernel';
import { squaredNorms } from '../wasm/row-norms';
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

export function fitNystroem(rows: Float64Array, cols: number, components: number, gamma: number, seed: number): NystroemMap {
  const n = rows.length / cols;
  const m = Math.min(components, n);
  const picks = sampleWithoutReplacement(n, m, new SeededRandom(seed)).sort();
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
 * φ(x) = R⁻¹ k(x, L) for every row: n×count row-major. All three steps run in the SIMD kernel: the dot
 * products x·l, k(x, L) from them by sklearn's own expansion exp(−γ(‖x‖² + ‖l‖² − 2x·l)) (euclidean_distances,
 * clipped at 0) with an exp equal to Math.exp, then a product with R⁻¹ formed once (O(m³/6)), whose zeros
 * above the diagonal the triangular mode skips. A row's forward substitution is a chain of m dependent dot
 * products; the product with R⁻¹ is m independent ones, and equal to it up to rounding far below the
 * solver's tolerance.
 */
export function nystroemFeatures(map: NystroemMap, rows: Float64Array, cols: number, gamma: number): Float64Array {
  const n = rows.length / cols;
  const m = map.count;
  const colWidth = paddedWidth(cols);
  const mWidth = paddedWidth(m);
  // rbfRows reads and writes one element past an odd count.
  const kernel = DotRowsKernel.create(n * colWidth, m * colWidth, m * mWidth, FEATURE_BATCH * mWidth, FEATURE_BATCH * m + 1, n, m + 1, n * m);
  const padded = kernel.allocPadded(rows, cols);
  const landmarks = kernel.allocPadded(map.landmarks, cols);
  const inverse = kernel.alloc(m * mWidth);
  inverse.set(lowerInverse(map.factor, m, mWidth));
  const k = kernel.alloc(FEATURE_BATCH * mWidth);
  const dots = kernel.alloc(FEATURE_BATCH * m + 1);
  const rowNorms = kernel.alloc(n);
  rowNorms.set(squaredNorms(rows, cols));
  const landmarkNorms = kernel.alloc(m + 1);
  landmarkNorms.set(squaredNorms(map.landmarks, cols));
  const out = kernel.alloc(n * m);
  for (let from = 0; from < n; from += FEATURE_BATCH) {
    const batch = Math.min(FEATURE_BATCH, n - from);
    kernel.dotRowsBatch(padded, from, batch, landmarks, 0, m, colWidth, dots);
    kernel.rbfRows(dots, rowNorms.subarray(from), landmarkNorms, batch, m, gamma, k, 0, mWidth);
    kernel.dotRowsBatch(k, 0, batch, inverse, 0, m, mWidth, out, from * m, true);
  }
  return out;
}

/**
 * Rows mapped per kernel call: their k(x, L) (1.6 KB each at m = 200) and a block of R⁻¹ stay in L1 while
 * the block passes them all, and R⁻¹ itself (m²/2 float64, 160 KB) is read from L2 once per batch.
 */
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
