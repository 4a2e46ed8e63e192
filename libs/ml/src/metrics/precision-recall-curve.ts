import { rankByScore, type Labels, type Scores } from './ranking';

export interface PrecisionRecallCurve {
  /** From the highest threshold down; the first point is (recall 0, precision 1) at +Infinity, as sklearn's last. */
  recall: number[];
  precision: number[];
  thresholds: number[];
}

/**
 * Precision and recall at every distinct score (sklearn's precision_recall_curve, in descending
 * threshold order). The area under its steps is averagePrecision.
 */
export function precisionRecallCurve(labels: Labels, scores: Scores): PrecisionRecallCurve {
  const { points, positives } = rankByScore(labels, scores);
  if (positives === 0) throw new RangeError('a precision-recall curve needs at least one anomaly among the labels');
  const curve: PrecisionRecallCurve = { recall: [0], precision: [1], thresholds: [Infinity] };
  for (const p of points) {
    curve.recall.push(p.truePositives / positives);
    curve.precision.push(p.truePositives / (p.truePositives + p.falsePositives));
    curve.thresholds.push(p.threshold);
  }
  return curve;
}
