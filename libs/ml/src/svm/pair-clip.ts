/**
 * libsvm's clipping of an updated pair back into the box 0 ≤ α ≤ 1 (C = 1 for both one-class
 * solvers), keeping α_i + α_j equal to `sum`, their total before the step.
 */
export function clipPairToBox(alpha: Float64Array, i: number, j: number, sum: number): void {
  if (sum > 1) {
    if (alpha[i] > 1) {
      alpha[i] = 1;
      alpha[j] = sum - 1;
    }
  } else if (alpha[j] < 0) {
    alpha[j] = 0;
    alpha[i] = sum;
  }
  if (sum > 1) {
    if (alpha[j] > 1) {
      alpha[j] = 1;
      alpha[i] = sum - 1;
    }
  } else if (alpha[i] < 0) {
    alpha[i] = 0;
    alpha[j] = sum;
  }
}
