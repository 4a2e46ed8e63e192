import { initialAlpha } from './one-class-smo';
import { clipPairToBox } from './pair-clip';

/**
 * liblinear's dual coordinate descent for the linear one-class SVM (solve_oneclass_svm, liblinear 2.40+),
 * on features φ (n×m): the same dual as libsvm's with Q = ΦΦᵀ, but w = Σ α_i φ_i is kept explicitly, so a
 * gradient costs O(m) and an outer iteration O(n·m) with no kernel matrix at all. Each outer iteration
 * refreshes all gradients, drops bound alphas that cannot move (shrinking), then updates up to active/10
 * most-violating pairs. Stops when the violating-pair gap is below tol.
 */
export interface LinearOneClassSolution {
  readonly w: Float64Array;
  readonly rho: number;
  readonly iterations: number;
  readonly converged: boolean;
}

/**
 * The features as the solver asks for them. A sweep needs w·φ_i for many rows and a pair update needs the
 * two rows themselves, so a source may form rows only when they are first asked for (the Nyström map does).
 */
export interface LinearFeatures {
  readonly rows: number;
  readonly width: number;
  /** Holds the rows `rowAt` has formed, `width` wide. */
  readonly values: Float64Array;
  /** Forms row i in `values` if it is not there yet; returns where it starts. */
  rowAt(i: number): number;
  /** Forms the rows list[0 … count) that are not there yet, at once (cheaper than one by one). */
  form(list: ArrayLike<number>, count: number): void;
  /** An array holding w·φ_i at i for i = index[0 … count), valid until the next call. */
  dots(w: Float64Array, index: Int32Array, count: number): Float64Array;
  /** Σ weights_i φ_i. */
  combination(weights: Float64Array): Float64Array;
}

const MAX_OUTER_ITERATIONS = 1000;

export function solveLinearOneClass(features: LinearFeatures, nu: number, tol: number): LinearOneClassSolution {
  const n = features.rows;
  const m = features.width;
  const phi = features.values;
  const alpha = initialAlpha(n, nu);
  const w = features.combination(alpha);
  // ‖φ_i‖², taken when a pair first needs it: a few thousand rows of the n ever pair up.
  const QD = new Float64Array(n).fill(NaN);
  let G: Float64Array;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  // The active rows in increasing order, so a sweep reads the features front to back.
  const index = all.slice();
  const dot = (i: number): number => {
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const o = features.rowAt(i);
    let c = 0;
    for (; c + 3 < m; c += 4) {
      s0 += w[c] * phi[o + c];
      s1 += w[c + 1] * phi[o + c + 1];
      s2 += w[c + 2] * phi[o + c + 2];
      s3 += w[c + 3] * phi[o + c + 3];
    }
    for (; c < m; c++) s0 += w[c] * phi[o + c];
    return s0 + s1 + (s2 + s3);
  };
  const squaredNorm = (i: number): number => {
    if (Number.isNaN(QD[i])) {
      let norm = 0;
      for (let c = 0, o = features.rowAt(i); c < m; c++) norm += phi[o + c] ** 2;
      QD[i] = norm;
    }
    return QD[i];
  };

  let active = n;
  let iterations = 0;
  let converged = false;
  while (iterations < MAX_OUTER_ITERATIONS) {
    G = features.dots(w, index, active);
    let negGmax = -Infinity;
    let negGmin = Infinity;
    for (let s = 0; s < active; s++) {
      const i = index[s];
      if (alpha[i] < 1) negGmax = Math.max(negGmax, -G[i]);
      if (alpha[i] > 0) negGmin = Math.min(negGmin, -G[i]);
    }
    if (negGmax - negGmin < tol) {
      if (active === n) {
        converged = true;
        break;
      }
      // Re-check the shrunk alphas before stopping, as liblinear does.
      active = n;
      index.set(all);
      continue;
    }
    // Shrinking keeps the survivors in order. liblinear swaps them instead; nothing below depends on the
    // order, as the pairs are chosen by a total order on (G, row).
    let kept = 0;
    for (let s = 0; s < active; s++) {
      const i = index[s];
      if ((alpha[i] === 1 && -G[i] > negGmax) || (alpha[i] === 0 && -G[i] < negGmin)) continue;
      index[kept++] = i;
    }
    active = kept;
    // Up to active/10 pairs: the i with the largest −G that may grow with the j with the smallest −G that may shrink.
    const budget = Math.max(Math.floor(active / 10), 1);
    const grow: number[] = [];
    const shrink: number[] = [];
    for (let s = 0; s < active; s++) {
      const i = index[s];
      if (alpha[i] < 1) grow.push(i);
      if (alpha[i] > 0) shrink.push(i);
    }
    const pairs = Math.min(budget, grow.length, shrink.length);
    // Only the first `pairs` of each order are used: select them, then sort those few.
    smallestFirst(grow, pairs, (a, b) => G[a] - G[b] || a - b);
    smallestFirst(shrink, pairs, (a, b) => G[b] - G[a] || a - b);
    features.form(grow, pairs);
    features.form(shrink, pairs);
    for (let s = 0; s < pairs; s++) {
      const i = grow[s];
      const j = shrink[s];
      if ((alpha[i] === 0 && alpha[j] === 0) || (alpha[i] === 1 && alpha[j] === 1)) continue;
      const Gi = dot(i);
      const Gj = dot(j);
      const violating = (alpha[i] < 1 && alpha[j] > 0 && -Gj + 1e-12 < -Gi) || (alpha[i] > 0 && alpha[j] < 1 && -Gi + 1e-12 < -Gj);
      if (!violating) continue;
      const oi = features.rowAt(i);
      const oj = features.rowAt(j);
      let Qij = 0;
      for (let c = 0; c < m; c++) Qij += phi[oi + c] * phi[oj + c];
      let quad = squaredNorm(i) + squaredNorm(j) - 2 * Qij;
      if (quad <= 0) quad = 1e-12;
      const delta = (Gi - Gj) / quad;
      const oldI = alpha[i];
      const sum = alpha[i] + alpha[j];
      alpha[i] -= delta;
      alpha[j] += delta;
      clipPairToBox(alpha, i, j, sum);
      const step = alpha[i] - oldI;
      for (let c = 0; c < m; c++) w[c] += step * (phi[oi + c] - phi[oj + c]);
    }
    iterations++;
  }

  G = features.dots(w, all, n);
  let upper = Infinity;
  let lower = -Infinity;
  let free = 0;
  let sumFree = 0;
  for (let i = 0; i < n; i++) {
    const g = G[i];
    if (alpha[i] === 1) lower = Math.max(lower, g);
    else if (alpha[i] === 0) upper = Math.min(upper, g);
    else {
      free++;
      sumFree += g;
    }
  }
  return { w, rho: free > 0 ? sumFree / free : (upper + lower) / 2, iterations, converged };
}

/**
 * Reorders `items` so that its first `count` are the `count` smallest under `compare` (a total order), in
 * ascending order; the rest are left in no particular order. Quickselect, then a sort of the head: O(n)
 * on average where a full sort is O(n log n), and the same head as a full sort.
 */
export function smallestFirst(items: number[], count: number, compare: (a: number, b: number) => number): void {
  let lo = 0;
  let hi = items.length - 1;
  const k = count - 1;
  while (k >= 0 && lo < hi) {
    // Median of three as the pivot, so sorted runs do not make it quadratic.
    const mid = (lo + hi) >>> 1;
    const [a, b, c] = [items[lo], items[mid], items[hi]];
    const pivot = compare(a, b) < 0 ? (compare(b, c) < 0 ? b : compare(a, c) < 0 ? c : a) : compare(a, c) < 0 ? a : compare(b, c) < 0 ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (compare(items[i], pivot) < 0) i++;
      while (compare(items[j], pivot) > 0) j--;
      if (i <= j) {
        [items[i], items[j]] = [items[j], items[i]];
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  const head = items.slice(0, count).sort(compare);
  for (let i = 0; i < head.length; i++) items[i] = head[i];
}
