/**
 * Shared ranking step for the label-based metrics. Convention for all of libs/ml: a higher score
 * means more anomalous, an alert is `score >= threshold`, and label 1 / true marks a real anomaly
 * (the positive class).
 */
export type Labels = ArrayLike<number | boolean>;
export type Scores = ArrayLike<number>;

/** One point per distinct score, from the highest down: cumulative counts of score >= threshold. */
export interface RankedThreshold {
  threshold: number;
  truePositives: number;
  falsePositives: number;
}

export interface Ranking {
  points: RankedThreshold[];
  positives: number;
  negatives: number;
}

export function rankByScore(labels: Labels, scores: Scores): Ranking {
  if (labels.length !== scores.length) throw new RangeError(`labels (${labels.length}) and scores (${scores.length}) differ in length`);
  const n = scores.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[i])) throw new RangeError(`score ${i} is NaN`);
    order[i] = i;
  }
  order.sort((a, b) => scores[b] - scores[a]);
  const points: RankedThreshold[] = [];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; i++) {
    if (isPositive(labels[order[i]])) tp++;
    else fp++;
    // Tied scores are one threshold: emit a point only after the last member of a tie group, so
    // ties contribute a diagonal segment, as in sklearn.
    if (i === n - 1 || scores[order[i + 1]] !== scores[order[i]]) {
      points.push({ threshold: scores[order[i]], truePositives: tp, falsePositives: fp });
    }
  }
  return { points, positives: tp, negatives: fp };
}

export function isPositive(label: number | boolean): boolean {
  return label === true || label === 1;
}
