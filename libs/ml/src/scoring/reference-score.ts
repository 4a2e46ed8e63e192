import { FeatureMatrix } from '../features/feature-matrix';
import { averagePathLength } from '../forest/average-path-length';
import { IsolationForestModel } from '../forest/isolation-forest-model';
import { meanPathLengths, scoreFromMeanPathLength } from '../forest/path-length';
import { ForestScores, INLIER, OUTLIER } from './forest-scores';

/**
 * Pure TypeScript scoring in float64: the specification the ONNX graph is checked against, and a
 * fallback where onnxruntime is unavailable. Routing is identical to ONNX (same float32 thresholds and
 * inputs); only the final arithmetic differs, by float32 rounding (well under 1e-5).
 */
export function referenceScore(model: IsolationForestModel, matrix: FeatureMatrix): ForestScores & { scoreSamples: Float64Array; decision: Float64Array } {
  const scoreSamples = meanPathLengths(model, matrix);
  const decision = new Float64Array(matrix.rows);
  const labels = new Int8Array(matrix.rows);
  const normaliser = averagePathLength(model.params.maxSamples);
  for (let i = 0; i < scoreSamples.length; i++) {
    const score = scoreFromMeanPathLength(scoreSamples[i], normaliser);
    scoreSamples[i] = score;
    decision[i] = score - model.offset;
    labels[i] = decision[i] < 0 ? OUTLIER : INLIER;
  }
  return { scoreSamples, decision, labels };
}
