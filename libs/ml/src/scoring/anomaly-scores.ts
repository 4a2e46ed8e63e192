import { ForestScores, INLIER, OUTLIER } from './forest-scores';

/** What every float64 reference scorer returns (forest, LOF, one-class SVM): sklearn's three outputs per row. */
export type AnomalyScores = ForestScores & { scoreSamples: Float64Array; decision: Float64Array };

/**
 * sklearn's decision_function (score_samples − offset) and flowsentry's label rule for every model
 * (−1 when decision < 0; a NaN score labels +1), from the scores a reference scorer computed.
 */
export function anomalyScoresOf(scoreSamples: Float64Array, offset: number): AnomalyScores {
  const decision = new Float64Array(scoreSamples.length);
  const labels = new Int8Array(scoreSamples.length);
  for (let i = 0; i < scoreSamples.length; i++) {
    decision[i] = scoreSamples[i]! - offset;
    labels[i] = decision[i]! < 0 ? OUTLIER : INLIER;
  }
  return { scoreSamples, decision, labels };
}
