import { DotRowsKernel, paddedWidth } from '../wasm/dot-rows-kernel';
import { squaredNorms } from '../wasm/row-norms';

/** γ as sklearn resolves it: 'scale' = 1 / (n_features · X.var()) over every entry (1 when that variance is 0), 'auto' = 1 / n_features. */
export function resolveGamma(gamma: 'scale' | 'auto' | number, rows: Float64Array, cols: number): number {
  if (gamma === 'auto') return 1 / cols;
  if (gamma === 'scale') {
    let mean = 0;
    for (let i = 0; i < rows.length; i++) mean += rows[i];
    mean /= rows.length;
    let variance = 0;
    for (let i = 0; i < rows.length; i++) variance += (rows[i] - mean) ** 2;
    variance /= rows.length;
    return variance !== 0 ? 1 / (cols * variance) : 1;
  }
  if (!(gamma > 0 && Number.isFinite(gamma))) throw new RangeError(`gamma must be 'scale', 'auto' or a positive number, got ${gamma}`);
  return gamma;
}

/**
 * exp(−γ‖a_i − b_j‖²) for row i of `a` against every row of `b`, written to `out`. Differences, not
 * the ‖a‖² + ‖b‖² − 2a·b expansion: libsvm's predict does the same, and it stays exact for close rows.
 */
export function rbfRow(a: Float64Array, i: number, b: Float64Array, cols: number, gamma: number, out: Float64Array | Float32Array): void {
  const count = b.length / cols;
  const base = i * cols;
  for (let j = 0; j < count; j++) {
    let d2 = 0;
    for (let c = 0, o = j * cols; c < cols; c++) {
      const d = a[base + c] - b[o + c];
      d2 += d * d;
    }
    out[j] = Math.exp(-gamma * d2);
  }
}

/**
 * Columns of the training kernel matrix, as libsvm computes them: exp(−γ(‖x_i‖² + ‖x_j‖² − 2 x_i·x_j)) with
 * precomputed squared norms, all in the SIMD kernel (the solver spends most of its time here): the dot
 * products, then the exps (equal to Math.exp). The kernel clips the bracket at 0 where rounding takes it
 * below, which moves a value from exp(+tiny) to 1, the same float32 in the column cache. Rounding differs
 * from rbfRow by ~1e-16, far below the solver's tolerance.
 */
export class RbfTrainingColumns {
  private readonly kernel: DotRowsKernel;
  private readonly padded: Float64Array;
  private readonly dots: Float64Array;
  private readonly norms: Float64Array;
  private readonly values: Float64Array;
  private readonly width: number;
  /** The rows, rounded up to even: rbfRows goes two lanes at a time. */
  private readonly lanes: number;

  constructor(
    rows: Float64Array,
    cols: number,
    private readonly gamma: number,
  ) {
    const l = rows.length / cols;
    this.width = paddedWidth(cols);
    this.lanes = l + (l % 2);
    this.kernel = DotRowsKernel.create(l * this.width, this.lanes, this.lanes, this.lanes);
    this.padded = this.kernel.allocPadded(rows, cols);
    this.dots = this.kernel.alloc(this.lanes);
    this.norms = this.kernel.alloc(this.lanes);
    this.norms.set(squaredNorms(rows, cols));
    this.values = this.kernel.alloc(this.lanes);
  }

  column(i: number, out: Float32Array): void {
    const l = out.length;
    this.kernel.dotRows(this.padded, i, this.padded, 0, l, this.width, this.dots);
    this.kernel.rbfRows(this.dots, this.norms.subarray(i), this.norms, 1, l, this.gamma, this.values, 0, this.lanes);
    out.set(this.values.subarray(0, l));
  }
}
