import { featureMatrix, FeatureMatrix } from '../features/feature-matrix';
import { OnnxModelMetadata } from '../onnx/onnx-metadata';

/**
 * Query rows × stored rows a LOF graph may hold per intermediate: 4M float64 cells, 32 MB each. The
 * graph keeps several [N, M] tensors alive (distances, the shortlist's input), so a 40,000-row holdout
 * against 10,000 stored rows in one call would need gigabytes.
 */
const LOF_CELLS_PER_CALL = 4_000_000;

/**
 * Rows per onnxruntime call for a model: LOF's memory grows with batch × stored rows, so it is scored
 * in slices; forests and SVMs hold nothing of that size and take any batch whole.
 */
export function onnxSliceRows(metadata: Pick<OnnxModelMetadata, 'algorithm' | 'params'>): number {
  if (metadata.algorithm !== 'local-outlier-factor') return Number.POSITIVE_INFINITY;
  const stored = Number(metadata.params.maxSamples);
  return Number.isFinite(stored) && stored > 0 ? Math.max(1, Math.floor(LOF_CELLS_PER_CALL / stored)) : 1_000;
}

/** score_samples of every row, `sliceRows` rows per call, in row order. */
export async function scoreInSlices(
  scorer: { score(matrix: FeatureMatrix): Promise<{ scoreSamples: ArrayLike<number> }> },
  matrix: FeatureMatrix,
  sliceRows: number,
): Promise<{ scoreSamples: Float64Array }> {
  if (matrix.rows <= sliceRows) return { scoreSamples: Float64Array.from((await scorer.score(matrix)).scoreSamples) };
  const out = new Float64Array(matrix.rows);
  for (let first = 0; first < matrix.rows; first += sliceRows) {
    const last = Math.min(matrix.rows, first + sliceRows);
    const slice = featureMatrix(matrix.data.slice(first * matrix.cols, last * matrix.cols), matrix.cols);
    out.set((await scorer.score(slice)).scoreSamples, first);
  }
  return { scoreSamples: out };
}
