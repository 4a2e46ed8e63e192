import { FeatureMatrix } from '../features/feature-matrix';
import { rowIsFinite } from '../preprocessing/finite-values';
import { scaledRows } from '../preprocessing/standard-scaling';
import { AnomalyScores, anomalyScoresOf } from '../scoring/anomaly-scores';
import { LocalOutlierFactorModel } from './local-outlier-factor-model';
import { kNearest, neighborIndex } from './nearest-neighbors';
import { LRD_EPSILON, meanReachDistance } from './reachability';

/**
 * sklearn's LocalOutlierFactor(novelty=True) outputs, in float64: the specification the ONNX graph is
 * checked against.
 *   score_samples = −mean_o(lrd(o)) / lrd(x) = −mean_o(lrd(o)) · (mean reach distance(x) + 1e-10)
 *   decision      = score_samples − offset;   label = decision < 0 ? −1 : +1
 * (the product form is the graph's: one multiplication instead of k divisions, equal to 1e-16.)
 * A row holding NaN or ±Infinity has no neighbours to speak of: its scores are NaN (label +1, by the
 * decision < 0 rule) and the other rows of the batch are unaffected. The ONNX graph does the same.
 */
export function scoreLocalOutlierFactor(model: LocalOutlierFactorModel, matrix: FeatureMatrix): AnomalyScores {
  if (matrix.cols !== model.nFeatures) throw new RangeError(`matrix has ${matrix.cols} columns, the model expects ${model.nFeatures}`);
  const k = model.params.nNeighbors;
  const query = scaledRows(matrix, model.scaling);
  const neighbors = new Int32Array(k);
  const distance2 = new Float64Array(k);
  const steps = new Float64Array(k);
  const index = neighborIndex(model.training, model.nFeatures);
  const scoreSamples = new Float64Array(matrix.rows).fill(NaN);
  for (let r = 0; r < matrix.rows; r++) {
    if (!rowIsFinite(matrix.data, r, matrix.cols)) continue;
    kNearest(index, query, r, k, -1, neighbors, distance2, steps);
    let lrdSum = 0;
    for (let j = 0; j < k; j++) lrdSum += model.lrd[neighbors[j]];
    scoreSamples[r] = -(lrdSum / k) * (meanReachDistance(neighbors, distance2, model.kDistance) + LRD_EPSILON);
  }
  return anomalyScoresOf(scoreSamples, model.offset);
}
