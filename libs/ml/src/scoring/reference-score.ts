import { FeatureMatrix } from '../features/feature-matrix';
import { averagePathLength } from '../forest/average-path-length';
import { IsolationForestModel } from '../forest/isolation-forest-model';
import { meanPathLengths, scoreFromMeanPathLength } from '../forest/path-length';
import { AnomalyScores, anomalyScoresOf } from './anomaly-scores';

/**
 * Pure TypeScript scoring in float64: the specification the ONNX graph is checked against, and a
 * fallback where onnxruntime is unavailable. Routing is identical to ONNX (same float32 thresholds and
 * inputs); only the final arithmetic differs, by float32 rounding (well under 1e-5).
 */
export function referenceScore(model: IsolationForestModel, matrix: FeatureMatrix): AnomalyScores {
  const scoreSamples = meanPathLengths(model, matrix);
  const normaliser = averagePathLength(model.params.maxSamples);
  for (let i = 0; i < scoreSamples.length; i++) scoreSamples[i] = scoreFromMeanPathLength(scoreSamples[i], normaliser);
  return anomalyScoresOf(scoreSamples, model.offset);
}
