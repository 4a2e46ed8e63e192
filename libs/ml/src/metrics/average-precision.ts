import { rankByScore, type Labels, type Scores } from './ranking';

/**
 * PR-AUC as average precision, sklearn's average_precision_score: AP = Σ_n (R_n − R_{n−1}) · P_n
 * over distinct thresholds from the highest score down. It is a step sum, not a trapezoid: linear
 * interpolation of a PR curve is optimistic, and AP is what sklearn users compare against.
 * With rare anomalies AP is the honest headline number (ROC-AUC stays high on a model that floods
 * analysts with false alerts); its chance level is the anomaly prevalence.
 */
export function averagePrecision(labels: Labels, scores: Scores): number {
  const { points, positives } = rankByScore(labels, scores);
  if (positives === 0) throw new RangeError('average precision needs at least one anomaly among the labels');
  let ap = 0;
  let previousRecall = 0;
  for (const p of points) {
    const recall = p.truePositives / positives;
    const precision = p.truePositives / (p.truePositives + p.falsePositives);
    ap += (recall - previousRecall) * precision;
    previousRecall = recall;
  }
  return ap;
}
