import { featureMatrix } from '../features/feature-matrix';
import { fitStandardScaling, scaledRows } from './standard-scaling';

describe('fitStandardScaling', () => {
  it('uses the mean and the population standard deviation, as sklearn’s StandardScaler', () => {
    const { mean, scale } = fitStandardScaling(featureMatrix(Float32Array.from([1, 10, 3, 10, 5, 10]), 2));
    expect(Array.from(mean)).toEqual([3, 10]);
    expect(scale[0]).toBeCloseTo(Math.sqrt(8 / 3), 15);
    expect(scale[1]).toBe(1); // constant column: scale 1, so it standardises to zeros rather than NaN
  });

  it('keeps precision on a large-offset column (ports), where a one-pass variance would not', () => {
    const { scale } = fitStandardScaling(featureMatrix(Float32Array.from([60000, 60001, 60002]), 1));
    expect(scale[0]).toBeCloseTo(Math.sqrt(2 / 3), 12);
  });

  it('scaledRows standardises in float64 and leaves non-finite values non-finite', () => {
    const matrix = featureMatrix(Float32Array.from([1, 2, NaN, 4]), 2);
    const scaling = { mean: Float64Array.of(1, 2), scale: Float64Array.of(2, 4) };
    const out = scaledRows(matrix, scaling);
    expect(Array.from(out.subarray(0, 2))).toEqual([0, 0]);
    expect(out[2]).toBeNaN();
    expect(out[3]).toBe(0.5);
    expect(Array.from(scaledRows(matrix, null))).toEqual(Array.from(matrix.data));
  });
});
