import { FeatureMatrix } from '../features/feature-matrix';
import { DEFAULT_SEED } from '../forest/train-isolation-forest';
import { percentile } from '../forest/training-offset';
import { assertFiniteMatrix } from '../preprocessing/finite-values';
import { fitStandardScaling, ScalingOption, scaledRows } from '../preprocessing/standard-scaling';
import { resolveMaxSamples, resolveSeed, trainingSubsample } from '../preprocessing/training-subsample';
import { LocalOutlierFactorModel } from './local-outlier-factor-model';
import { kNearest, neighborIndex } from './nearest-neighbors';
import { LRD_EPSILON, meanReachDistance } from './reachability';

/** Options named after scikit-learn's LocalOutlierFactor (novelty=True, euclidean metric), with its defaults. */
export interface LocalOutlierFactorOptions {
  /** k (default 20), capped at training rows − 1 as sklearn does. */
  readonly nNeighbors?: number;
  /** 'auto' (offset −1.5) or the expected outlier share in (0, 0.5]. */
  readonly contamination?: 'auto' | number;
  /**
   * Train on at most this many rows drawn with `seed` (default 'all'). Training is O(n²) distance
   * evaluations and the model stores every training row, so large data needs a cap.
   */
  readonly maxSamples?: 'all' | number;
  /** Standardise columns on the training rows first (default 'none', sklearn's bare estimator). */
  readonly scaling?: ScalingOption;
  readonly seed?: number;
}

export const LOF_AUTO_OFFSET = -1.5;

export function trainLocalOutlierFactor(matrix: FeatureMatrix, options: LocalOutlierFactorOptions = {}): LocalOutlierFactorModel {
  assertFiniteMatrix(matrix, 'training matrix');
  const seed = resolveSeed(options.seed, DEFAULT_SEED);
  const maxSamples = resolveMaxSamples(options.maxSamples, matrix.rows);
  if (matrix.rows < 2) throw new RangeError(`LOF needs at least 2 training rows, got ${matrix.rows}`);
  const requested = options.nNeighbors ?? 20;
  if (!Number.isInteger(requested) || requested < 1) throw new RangeError(`nNeighbors must be a positive integer, got ${requested}`);
  const contamination = options.contamination ?? 'auto';
  if (contamination !== 'auto' && !(contamination > 0 && contamination <= 0.5)) {
    throw new RangeError(`contamination must be 'auto' or in (0, 0.5], got ${contamination}`);
  }
  const scalingOption = options.scaling ?? 'none';

  const sample = trainingSubsample(matrix, maxSamples, seed);
  const k = Math.max(1, Math.min(requested, sample.rows - 1));
  const scaling = scalingOption === 'standard' ? fitStandardScaling(sample) : null;
  const training = scaledRows(sample, scaling);

  // Each training row's neighbours exclude the row itself (sklearn's kneighbors() without X).
  const n = sample.rows;
  const neighbors = new Int32Array(n * k);
  const distance2 = new Float64Array(n * k);
  const kDistance = new Float64Array(n);
  const steps = new Float64Array(k);
  const index = neighborIndex(training, sample.cols);
  for (let i = 0; i < n; i++) {
    const idx = neighbors.subarray(i * k, (i + 1) * k);
    const d2 = distance2.subarray(i * k, (i + 1) * k);
    kNearest(index, training, i, k, i, idx, d2, steps);
    kDistance[i] = Math.sqrt(d2[k - 1]);
  }
  const lrd = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    lrd[i] = 1 / (meanReachDistance(neighbors.subarray(i * k, (i + 1) * k), distance2.subarray(i * k, (i + 1) * k), kDistance) + LRD_EPSILON);
  }

  let offset = LOF_AUTO_OFFSET;
  if (contamination !== 'auto') {
    // sklearn: the contamination percentile of negative_outlier_factor_, the training rows' own scores.
    const negativeFactor = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < k; j++) sum += lrd[neighbors[i * k + j]] / lrd[i];
      negativeFactor[i] = -sum / k;
    }
    offset = percentile(negativeFactor, 100 * contamination);
  }

  return {
    algorithm: 'local-outlier-factor',
    nFeatures: matrix.cols,
    params: { nNeighbors: k, contamination, maxSamples: sample.rows, scaling: scalingOption, seed },
    scaling,
    training,
    kDistance,
    lrd,
    offset,
  };
}
