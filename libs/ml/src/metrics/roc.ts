import { rankByScore, type Labels, type Scores } from './ranking';

export interface RocCurve {
  /** Starts at (0, 0) with threshold +Infinity, as sklearn's roc_curve. */
  fpr: number[];
  tpr: number[];
  thresholds: number[];
}

/** ROC curve at every distinct score (sklearn's roc_curve with drop_intermediate=False). */
export function rocCurve(labels: Labels, scores: Scores): RocCurve {
  const { points, positives, negatives } = rankByScore(labels, scores);
  if (positives === 0 || negatives === 0) throw new RangeError('ROC needs both anomalies and normal events among the labels');
  const curve: RocCurve = { fpr: [0], tpr: [0], thresholds: [Infinity] };
  for (const p of points) {
    curve.fpr.push(p.falsePositives / negatives);
    curve.tpr.push(p.truePositives / positives);
    curve.thresholds.push(p.threshold);
  }
  return curve;
}

/**
 * Area under the ROC curve by the trapezoidal rule over distinct thresholds — sklearn's
 * roc_auc_score. Tied scores form one diagonal step, which is the same as counting a tied
 * (anomaly, normal) pair as half correct (Mann–Whitney with mid-ranks).
 */
export function rocAuc(labels: Labels, scores: Scores): number {
  const { fpr, tpr } = rocCurve(labels, scores);
  let area = 0;
  for (let i = 1; i < fpr.length; i++) area += ((fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1])) / 2;
  return area;
}

/**
 * Highest recall (TPR) reachable with a false-positive rate at most `maxFpr`, taking only real
 * thresholds (no interpolation between ROC points): what an operator gets if they cap false alarms
 * at that rate. Returns the threshold that achieves it (+Infinity: no threshold fits, recall 0).
 */
export function recallAtFpr(labels: Labels, scores: Scores, maxFpr: number): { recall: number; threshold: number; fpr: number } {
  const { fpr, tpr, thresholds } = rocCurve(labels, scores);
  let best = { recall: 0, threshold: Infinity, fpr: 0 };
  for (let i = 0; i < fpr.length; i++) {
    if (fpr[i] <= maxFpr && tpr[i] > best.recall) best = { recall: tpr[i], threshold: thresholds[i], fpr: fpr[i] };
  }
  return best;
}
