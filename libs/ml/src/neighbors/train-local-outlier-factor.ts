import { FeatureMatrix } from '../features/feature-matrix';
import { DEFAULT_SEED } from '../forest/train-isolation-forest';
import { percentile } from '../forest/training-offset';
import { assertFiniteMatrix } from '../preprocessing/finite-values';
import { fitStandardScaling, ScalingOption, scaledRows } from '../preprocessing/standard-scaling';
import { resolveMaxSamples, resolveSeed, trainingSubsample } from '../preprocessing/training-subsample';
import { LocalOutlierFactorModel } from './local-outlier-factor-model';
import { LRD_EPSILON, meanReachDistance } from './reachability';
import { trainingNeighbors } from './training-neighbors';
import { trainingNeighborsOnThreads } from './training-neighbors-on-threads';

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

export interface LocalOutlierFactorThreadOptions extends LocalOutlierFactorOptions {
  /**
   * Threads for the neighbour search (default 1): this one and threads − 1 worker threads, started for
   * this training and terminated before it returns. The model is the same bit for bit whatever the count.
   */
  readonly threads?: number;
}

export const LOF_AUTO_OFFSET = -1.5;

export function trainLocalOutlierFactor(matrix: FeatureMatrix, options: LocalOutlierFactorOptions = {}): LocalOutlierFactorModel {
  const plan = trainingPlan(matrix, options);
  const { n, k } = plan;
  const neighbors = new Int32Array(n * k);
  const distance2 = new Float64Array(n * k);
  trainingNeighbors(plan.training, plan.cols, k, neighbors, distance2);
  return fittedModel(plan, neighbors, distance2);
}

/** trainLocalOutlierFactor with the neighbour search (nearly all of its time) on `threads` threads. */
export async function trainLocalOutlierFactorOnThreads(matrix: FeatureMatrix, options: LocalOutlierFactorThreadOptions = {}): Promise<LocalOutlierFactorModel> {
  const plan = trainingPlan(matrix, options);
  const { n, k } = plan;
  const neighbors = new Int32Array(n * k);
  const distance2 = new Float64Array(n * k);
  await trainingNeighborsOnThreads(plan.training, plan.cols, k, options.threads ?? 1, neighbors, distance2);
  return fittedModel(plan, neighbors, distance2);
}

interface TrainingPlan {
  readonly matrix: FeatureMatrix;
  readonly n: number;
  readonly cols: number;
  readonly k: number;
  readonly training: Float64Array;
  readonly scaling: LocalOutlierFactorModel['scaling'];
  readonly params: LocalOutlierFactorModel['params'];
}

/** The options checked and the training rows drawn and scaled: everything before the neighbour search. */
function trainingPlan(matrix: FeatureMatrix, options: LocalOutlierFactorOptions): TrainingPlan {
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

  return { matrix, n: sample.rows, cols: sample.cols, k, training, scaling, params: { nNeighbors: k, contamination, maxSamples: sample.rows, scaling: scalingOption, seed } };
}

/**
 * The model from each training row's k neighbours (excluding the row itself, as sklearn's kneighbors()
 * without X), row after row in `neighbors` and `distance2`.
 */
function fittedModel(plan: TrainingPlan, neighbors: Int32Array, distance2: Float64Array): LocalOutlierFactorModel {
  const { n, k, params } = plan;
  const { contamination } = params;
  const kDistance = new Float64Array(n);
  for (let i = 0; i < n; i++) kDistance[i] = Math.sqrt(distance2[i * k + k - 1]);
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
    nFeatures: plan.matrix.cols,
    params,
    scaling: plan.scaling,
    training: plan.training,
    kDistance,
    lrd,
    offset,
  };
}
