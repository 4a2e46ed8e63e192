import { FeatureMatrix } from '../features/feature-matrix';

/**
 * Per-column standardisation x' = (x − mean) / scale, as scikit-learn's StandardScaler: population
 * standard deviation, and scale 1 for a constant column (so it becomes all zeros instead of NaN).
 * Distance and kernel methods need it on flow features, where raw ports (0–65535) would otherwise
 * outweigh every log-scaled counter; isolation trees do not, since each split looks at one column.
 */
export interface StandardScaling {
  readonly mean: Float64Array;
  readonly scale: Float64Array;
}

/** How a distance or kernel model prepares its columns: as given, or standardised on the training rows. */
export type ScalingOption = 'none' | 'standard';

/** sklearn's _handle_zeros_in_scale: a standard deviation this close to 0 is a constant column. */
const CONSTANT_SCALE = 10 * Number.EPSILON;

export function fitStandardScaling(matrix: FeatureMatrix): StandardScaling {
  const { data, rows, cols } = matrix;
  if (rows === 0) throw new RangeError('cannot fit a scaling on 0 rows');
  const mean = new Float64Array(cols);
  const scale = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += data[r * cols + c];
  for (let c = 0; c < cols; c++) mean[c] /= rows;
  // Two passes: the textbook one-pass formula loses every digit on columns like ports, whose
  // variance is tiny next to their squared mean.
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const d = data[r * cols + c] - mean[c];
      scale[c] += d * d;
    }
  }
  for (let c = 0; c < cols; c++) {
    const std = Math.sqrt(scale[c] / rows);
    scale[c] = std < CONSTANT_SCALE ? 1 : std;
  }
  return { mean, scale };
}

/**
 * The matrix in float64, standardised when `scaling` is given. (x − mean) / scale is computed with
 * one subtraction and one division, correctly rounded, so the ONNX graph's Sub and Div in double give
 * bit-identical values. Non-finite inputs stay non-finite.
 */
export function scaledRows(matrix: FeatureMatrix, scaling: StandardScaling | null): Float64Array {
  const { data, cols } = matrix;
  const out = new Float64Array(data.length);
  if (!scaling) {
    out.set(data);
    return out;
  }
  const { mean, scale } = scaling;
  for (let i = 0; i < data.length; i++) {
    const c = i % cols;
    out[i] = (data[i] - mean[c]) / scale[c];
  }
  return out;
}
