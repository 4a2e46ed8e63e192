import { clipPairToBox } from './pair-clip';

/**
 * libsvm's SMO solver (Fan, Chen & Lin 2005) for the one-class dual, as sklearn's OneClassSVM runs it:
 *   min ½ αᵀQα  subject to 0 ≤ α_i ≤ 1, Σ α_i = ν·l,   Q_ij = K(x_i, x_j)
 * with libsvm's starting point (the first ⌊ν·l⌋ alphas at 1, the next one fractional), second-order
 * working-set selection, and its stopping rule (maximal violating pair gap < tol). The one difference is
 * libsvm's shrinking heuristic, left out: it changes the path to the optimum, not the optimum.
 * rho is libsvm's calculate_rho: the mean gradient over free alphas, else the middle of the bounds.
 */
export interface OneClassSolution {
  readonly alpha: Float64Array;
  readonly rho: number;
  readonly iterations: number;
  readonly converged: boolean;
}

export interface OneClassProblem {
  readonly size: number;
  readonly nu: number;
  /** Column i of Q (float32, libsvm's Qfloat); may be overwritten by the next-but-one call. */
  readonly column: (i: number) => Float32Array;
  /** Q_ii in float64 (libsvm's QD). */
  readonly diagonal: Float64Array;
  readonly tol: number;
  readonly maxIterations: number;
}

/** libsvm's TAU: the curvature used when a pair's is not positive. */
const TAU = 1e-12;

export function solveOneClassSmo(problem: OneClassProblem): OneClassSolution {
  const { size: l, nu, column, diagonal: QD, tol } = problem;
  const alpha = initialAlpha(l, nu);
  const G = new Float64Array(l);
  for (let i = 0; i < l; i++) {
    if (alpha[i] <= 0) continue;
    const Qi = column(i);
    for (let j = 0; j < l; j++) G[j] += alpha[i] * Qi[j];
  }

  let iterations = 0;
  let converged = false;
  while (iterations < problem.maxIterations) {
    // i: the most violating index that may still grow (α < 1), by −G; ties go to the last, as libsvm's >=.
    let Gmax = -Infinity;
    let i = -1;
    for (let t = 0; t < l; t++) {
      if (alpha[t] < 1 && -G[t] >= Gmax) {
        Gmax = -G[t];
        i = t;
      }
    }
    // j: among indices that may shrink (α > 0), the largest second-order decrease of the objective.
    let Gmax2 = -Infinity;
    let j = -1;
    let objDiffMin = Infinity;
    const Qi = i >= 0 ? column(i) : undefined;
    for (let t = 0; t < l; t++) {
      if (!(alpha[t] > 0)) continue;
      if (G[t] >= Gmax2) Gmax2 = G[t];
      const gradDiff = Gmax + G[t];
      if (gradDiff > 0 && Qi) {
        const quad = QD[i] + QD[t] - 2 * Qi[t];
        const objDiff = -(gradDiff * gradDiff) / (quad > 0 ? quad : TAU);
        if (objDiff <= objDiffMin) {
          j = t;
          objDiffMin = objDiff;
        }
      }
    }
    if (Gmax + Gmax2 < tol || j === -1) {
      converged = true;
      break;
    }
    iterations++;

    const Qi2 = column(i);
    const Qj = column(j);
    const oldI = alpha[i];
    const oldJ = alpha[j];
    let quad = QD[i] + QD[j] - 2 * Qi2[j];
    if (quad <= 0) quad = TAU;
    const delta = (G[i] - G[j]) / quad;
    const sum = alpha[i] + alpha[j];
    alpha[i] -= delta;
    alpha[j] += delta;
    clipPairToBox(alpha, i, j, sum);
    const dI = alpha[i] - oldI;
    const dJ = alpha[j] - oldJ;
    for (let t = 0; t < l; t++) G[t] += Qi2[t] * dI + Qj[t] * dJ;
  }
  return { alpha, rho: calculateRho(alpha, G), iterations, converged };
}

/** libsvm: ⌊ν·l⌋ alphas at the upper bound, the next one holding the remainder, the rest 0. */
export function initialAlpha(l: number, nu: number): Float64Array {
  const alpha = new Float64Array(l);
  const n = Math.floor(nu * l);
  for (let i = 0; i < n; i++) alpha[i] = 1;
  if (n < l) alpha[n] = nu * l - n;
  return alpha;
}

/** libsvm's calculate_rho for y = +1: mean gradient over free alphas, else the midpoint of the bound gradients. */
export function calculateRho(alpha: Float64Array, G: Float64Array): number {
  let upper = Infinity;
  let lower = -Infinity;
  let free = 0;
  let sumFree = 0;
  for (let i = 0; i < alpha.length; i++) {
    if (alpha[i] >= 1) lower = Math.max(lower, G[i]);
    else if (alpha[i] <= 0) upper = Math.min(upper, G[i]);
    else {
      free++;
      sumFree += G[i];
    }
  }
  return free > 0 ? sumFree / free : (upper + lower) / 2;
}
