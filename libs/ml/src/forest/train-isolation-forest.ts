import { FeatureMatrix } from '../features/feature-matrix';
import { averagePathLength } from './average-path-length';
import { ForestNodeBuffer } from './forest-node-buffer';
import { IsolationForestModel, IsolationForestParams } from './isolation-forest-model';
import { growIsolationTree } from './isolation-tree-growth';
import { meanPathLengths, scoreFromMeanPathLength } from './path-length';
import { sampleWithoutReplacement, sampleWithReplacement } from './row-sampling';
import { SeededRandom } from './seeded-random';
import { percentile } from './training-offset';

/** Options named after scikit-learn's IsolationForest, with its defaults. */
export interface IsolationForestOptions {
  /** Number of trees (default 100). */
  readonly nEstimators?: number;
  /** 'auto' = min(256, rows); an integer = that many rows (capped at rows); a fraction in (0, 1] = that share of rows. */
  readonly maxSamples?: 'auto' | number;
  /** A fraction in (0, 1] of the columns (default 1.0) or an integer count, drawn once per tree. */
  readonly maxFeatures?: number;
  /** Draw rows with replacement (default false). */
  readonly bootstrap?: boolean;
  /** 'auto' (offset −0.5, the paper's threshold) or the expected outlier share in (0, 0.5]. */
  readonly contamination?: 'auto' | number;
  readonly seed?: number;
}

export const DEFAULT_SEED = 42;

export function trainIsolationForest(matrix: FeatureMatrix, options: IsolationForestOptions = {}): IsolationForestModel {
  const params = resolveParams(matrix, options);
  assertFinite(matrix);

  const random = new SeededRandom(params.seed);
  const nodeCapacity = params.nEstimators * (2 * params.maxSamples - 1);
  const buffer = new ForestNodeBuffer(nodeCapacity);
  const treeRoots = new Int32Array(params.nEstimators);
  const sampleValues = new Float32Array(params.maxSamples * matrix.cols);
  const allFeatures = Int32Array.from({ length: matrix.cols }, (_, i) => i);

  for (let t = 0; t < params.nEstimators; t++) {
    // One independent stream per tree, drawn up front like sklearn's per-estimator seeds: a tree's shape
    // depends only on (seed, tree index), not on how much randomness earlier trees happened to consume.
    const treeRandom = new SeededRandom(random.nextUint32());
    const rows = params.bootstrap
      ? sampleWithReplacement(matrix.rows, params.maxSamples, treeRandom)
      : sampleWithoutReplacement(matrix.rows, params.maxSamples, treeRandom);
    const features =
      params.maxFeatures === matrix.cols
        ? allFeatures
        : sampleWithoutReplacement(matrix.cols, params.maxFeatures, treeRandom).sort();
    for (let i = 0; i < rows.length; i++) {
      const from = rows[i] * matrix.cols;
      sampleValues.set(matrix.data.subarray(from, from + matrix.cols), i * matrix.cols);
    }
    treeRoots[t] = growIsolationTree(
      { values: sampleValues, rows: params.maxSamples, cols: matrix.cols },
      features,
      params.maxDepth,
      treeRandom,
      buffer,
    );
  }

  const unfitted: IsolationForestModel = { nFeatures: matrix.cols, params, offset: -0.5, treeRoots, nodes: buffer.toNodes() };
  if (params.contamination === 'auto') return unfitted;
  return { ...unfitted, offset: contaminationOffset(unfitted, matrix, params.contamination) };
}

/** sklearn: with contamination c, the offset is the c-quantile of the training rows' score_samples. */
function contaminationOffset(model: IsolationForestModel, matrix: FeatureMatrix, contamination: number): number {
  const depths = meanPathLengths(model, matrix);
  const normaliser = averagePathLength(model.params.maxSamples);
  for (let i = 0; i < depths.length; i++) depths[i] = scoreFromMeanPathLength(depths[i], normaliser);
  return percentile(depths, 100 * contamination);
}

function resolveParams(matrix: FeatureMatrix, options: IsolationForestOptions): IsolationForestParams {
  const n = matrix.rows;
  if (n < 2) throw new RangeError(`an isolation forest needs at least 2 rows, got ${n}`);
  const nEstimators = options.nEstimators ?? 100;
  if (!Number.isInteger(nEstimators) || nEstimators < 1) throw new RangeError(`nEstimators must be a positive integer, got ${nEstimators}`);

  const requested = options.maxSamples ?? 'auto';
  let maxSamples: number;
  if (requested === 'auto') maxSamples = Math.min(256, n);
  else if (Number.isInteger(requested) && requested >= 1) maxSamples = Math.min(requested, n);
  else if (requested > 0 && requested <= 1) maxSamples = Math.floor(requested * n);
  else throw new RangeError(`maxSamples must be 'auto', a positive integer or a fraction in (0, 1], got ${requested}`);
  if (maxSamples < 2) throw new RangeError(`maxSamples resolves to ${maxSamples} rows; at least 2 are needed`);

  const requestedFeatures = options.maxFeatures ?? 1.0;
  let maxFeatures: number;
  // As in sklearn, a float (even 1.0) is a fraction and an integer above 1 is a count.
  if (requestedFeatures > 0 && requestedFeatures <= 1) maxFeatures = Math.max(1, Math.floor(requestedFeatures * matrix.cols));
  else if (Number.isInteger(requestedFeatures) && requestedFeatures <= matrix.cols) maxFeatures = requestedFeatures;
  else throw new RangeError(`maxFeatures must be a fraction in (0, 1] or a count up to ${matrix.cols}, got ${requestedFeatures}`);

  const contamination = options.contamination ?? 'auto';
  if (contamination !== 'auto' && !(contamination > 0 && contamination <= 0.5)) {
    throw new RangeError(`contamination must be 'auto' or in (0, 0.5], got ${contamination}`);
  }
  const seed = options.seed ?? DEFAULT_SEED;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be a uint32, got ${seed}`);

  return {
    nEstimators,
    maxSamples,
    maxFeatures,
    bootstrap: options.bootstrap ?? false,
    contamination,
    maxDepth: Math.ceil(Math.log2(maxSamples)),
    seed,
  };
}

/** Like sklearn, training rejects NaN/±Infinity: the feature pipeline imputes missing values before this point. */
function assertFinite(matrix: FeatureMatrix): void {
  const { data } = matrix;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const row = Math.floor(i / matrix.cols);
      throw new RangeError(`training matrix has a non-finite value at row ${row}, column ${i - row * matrix.cols}`);
    }
  }
}
