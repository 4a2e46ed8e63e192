import { featureMatrix, FeatureMatrix } from '../features/feature-matrix';
import { OnnxModelMetadata } from '../onnx/onnx-metadata';

/**
 * Query rows × compared rows per onnxruntime call for the distance and kernel graphs: each holds several
 * [batch, compared] tensors (distances, kernel values, LOF's shortlist keys), 16 MB apiece in float64 at
 * this size. Small enough to stay in cache and to bound memory (a 40,000-row holdout against 10,000 LOF
 * rows in one call would need gigabytes); measured on the comparison bench, slices of 2,048 rows ran
 * LOF 1.2–1.6× and Nyström 2× faster than whole 20,000-row batches, and 128–512 rows all about alike.
 */
const CELLS_PER_CALL = 2_000_000;
/** Query rows × compared rows worth a hand-off to another thread (~1 ms of work on 40 columns). */
const CELLS_PER_THREAD = 200_000;
/** Beyond this, slices are only calls: the per-call overhead is paid off and nothing is gained. */
const MAX_SLICE_ROWS = 4096;

/**
 * Rows per onnxruntime call for a model: distance and kernel graphs (LOF, one-class SVM) in slices of
 * CELLS_PER_CALL / compared rows; forests hold nothing of that size and take any batch whole.
 */
export function onnxSliceRows(metadata: Pick<OnnxModelMetadata, 'algorithm' | 'params'>): number {
  const compared = comparedRows(metadata);
  if (compared === undefined) return Number.POSITIVE_INFINITY;
  return Number.isFinite(compared) ? Math.min(MAX_SLICE_ROWS, Math.max(1, Math.floor(CELLS_PER_CALL / compared))) : 1_000;
}

/**
 * The smallest batch worth spreading over threads, where the model's per-row cost calls for something
 * other than the scorers' default: a row of a distance or kernel graph costs work in proportion to the
 * rows it is compared with, so a slice of a few hundred rows is already milliseconds per thread.
 * Undefined keeps the default.
 */
export function onnxParallelFromRows(metadata: Pick<OnnxModelMetadata, 'algorithm' | 'params'>): number | undefined {
  const compared = comparedRows(metadata);
  if (compared === undefined) return undefined;
  return Number.isFinite(compared) ? Math.max(1, Math.ceil(CELLS_PER_THREAD / compared)) : 16;
}

/**
 * The stored rows each scored row is compared with: LOF's training rows, an exact SVM's support vectors
 * (at most its kept training rows), Nyström's landmarks. NaN when the params do not say; undefined for
 * models without such a comparison (forests).
 */
function comparedRows(metadata: Pick<OnnxModelMetadata, 'algorithm' | 'params'>): number | undefined {
  const { algorithm, params } = metadata;
  if (algorithm !== 'local-outlier-factor' && algorithm !== 'one-class-svm') return undefined;
  const compared = Number((algorithm === 'one-class-svm' ? params.nComponents : undefined) ?? params.maxSamples);
  return compared > 0 ? compared : Number.NaN;
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
