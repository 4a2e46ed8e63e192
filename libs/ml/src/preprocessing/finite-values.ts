import { FeatureMatrix } from '../features/feature-matrix';

/**
 * Like sklearn, training rejects NaN/±Infinity: the feature pipeline imputes missing values (the
 * training median) before a matrix reaches a model, so a non-finite value here is a bug upstream.
 */
export function assertFiniteMatrix(matrix: FeatureMatrix, what: string): void {
  const { data } = matrix;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const row = Math.floor(i / matrix.cols);
      throw new RangeError(`${what} has a non-finite value at row ${row}, column ${i - row * matrix.cols}`);
    }
  }
}

/** True when every value of row `r` is finite. */
export function rowIsFinite(data: ArrayLike<number>, r: number, cols: number): boolean {
  for (let c = r * cols, end = c + cols; c < end; c++) if (!Number.isFinite(data[c])) return false;
  return true;
}
