import { featureMatrix, FeatureMatrix } from '../features/feature-matrix';
import { onnxParallelFromRows, onnxSliceRows, scoreInSlices } from './sliced-scoring';

/** A scorer whose score of a row is its first column, recording each call's rows. */
class FirstColumn {
  readonly calls: number[] = [];
  async score(matrix: FeatureMatrix): Promise<{ scoreSamples: Float32Array }> {
    this.calls.push(matrix.rows);
    return { scoreSamples: Float32Array.from({ length: matrix.rows }, (_, r) => matrix.data[r * matrix.cols]!) };
  }
}

describe('scoring in slices', () => {
  const matrix = featureMatrix(Float32Array.from({ length: 2 * 1001 }, (_, i) => (i % 2 === 0 ? i / 2 : -1)), 2);

  it('gives every row its own score, in row order, with no call above the slice size', async () => {
    const scorer = new FirstColumn();
    const { scoreSamples } = await scoreInSlices(scorer, matrix, 400);
    expect(scorer.calls).toEqual([400, 400, 201]);
    expect(Array.from(scoreSamples)).toEqual(Array.from({ length: 1001 }, (_, i) => i));
  });

  it('sizes slices of distance and kernel graphs by the rows they compare with, and leaves forests whole', () => {
    expect(onnxSliceRows({ algorithm: 'local-outlier-factor', params: { maxSamples: 10_000 } })).toBe(200);
    expect(onnxSliceRows({ algorithm: 'local-outlier-factor', params: { maxSamples: 10_000_000 } })).toBe(1);
    expect(onnxSliceRows({ algorithm: 'local-outlier-factor', params: { maxSamples: 100 } })).toBe(4096);
    expect(onnxSliceRows({ algorithm: 'local-outlier-factor', params: {} })).toBe(1_000);
    expect(onnxSliceRows({ algorithm: 'one-class-svm', params: { maxSamples: 5_000, nComponents: null } })).toBe(400);
    expect(onnxSliceRows({ algorithm: 'one-class-svm', params: { maxSamples: 100_000, nComponents: 1_000 } })).toBe(2_000);
    expect(onnxSliceRows({ algorithm: 'isolation-forest', params: {} })).toBe(Number.POSITIVE_INFINITY);
  });

  it('spreads those batches over threads from a few rows, since each row is worth the rows it compares with', () => {
    expect(onnxParallelFromRows({ algorithm: 'local-outlier-factor', params: { maxSamples: 10_000 } })).toBe(20);
    expect(onnxParallelFromRows({ algorithm: 'local-outlier-factor', params: { maxSamples: 10_000_000 } })).toBe(1);
    expect(onnxParallelFromRows({ algorithm: 'local-outlier-factor', params: { maxSamples: 10 } })).toBe(20_000);
    expect(onnxParallelFromRows({ algorithm: 'local-outlier-factor', params: {} })).toBe(16);
    expect(onnxParallelFromRows({ algorithm: 'one-class-svm', params: { maxSamples: 5_000, nComponents: null } })).toBe(40);
    expect(onnxParallelFromRows({ algorithm: 'one-class-svm', params: { maxSamples: 100_000, nComponents: 200 } })).toBe(1_000);
    expect(onnxParallelFromRows({ algorithm: 'isolation-forest', params: {} })).toBeUndefined();
  });
});
