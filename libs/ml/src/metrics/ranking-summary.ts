import { isPositive, type Labels, type Ranking, type RankedThreshold, type Scores } from './ranking';

/**
 * Every label-based figure the evaluator reports, from ONE sort of the scores. rocAuc,
 * averagePrecision, precisionAtK, recallAtFpr and the two curves each rank the scores again;
 * on 200,000 held-out rows with five attack types (each scored against the normal rows) that is
 * dozens of sorts per model. Here the scores are ordered once (scoreOrder), any subset of the rows
 * is ranked by walking that order (rankInOrder), and all figures follow from one ranking
 * (summarizeRanking), with the same arithmetic as the single-metric functions.
 */
export interface RankingSummary {
  rocAuc: number;
  averagePrecision: number;
  precisionAtK: number;
  /** Best recall (TPR) with a false-positive rate at most `maxFpr`, as recallAtFpr. */
  recallAtFpr: number;
  /** As rocCurve: from (0, 0) at +Infinity down through every distinct score. */
  roc: { fpr: number[]; tpr: number[] };
  /** As precisionRecallCurve: from (recall 0, precision 1) down through every distinct score. */
  pr: { recall: number[]; precision: number[] };
}

/** Row indices from the highest score to the lowest (ties in index order). */
export function scoreOrder(scores: Scores): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) {
    if (Number.isNaN(scores[i])) throw new RangeError(`score ${i} is NaN`);
    order[i] = i;
  }
  return order.sort((a, b) => scores[b] - scores[a] || a - b);
}

/** rankByScore's ranking of the rows `include` accepts (default all), from an order scoreOrder made. */
export function rankInOrder(labels: Labels, scores: Scores, order: Uint32Array, include?: (row: number) => boolean): Ranking {
  if (labels.length !== scores.length || order.length !== scores.length) throw new RangeError('labels, scores and order differ in length');
  const points: RankedThreshold[] = [];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length; i++) {
    const row = order[i];
    if (include && !include(row)) continue;
    if (isPositive(labels[row])) tp++;
    else fp++;
    // Equal scores sit together in the order: a tie group is one threshold, its point the counts after its last row.
    const last = points[points.length - 1];
    if (last && last.threshold === scores[row]) {
      last.truePositives = tp;
      last.falsePositives = fp;
    } else points.push({ threshold: scores[row], truePositives: tp, falsePositives: fp });
  }
  return { points, positives: tp, negatives: fp };
}

/** `curves: false` leaves `roc` and `pr` empty: the figures alone cost no arrays of the sample's size. */
export function summarizeRanking(ranking: Ranking, options: { maxFpr: number; k: number; curves?: boolean }): RankingSummary {
  const { points, positives, negatives } = ranking;
  if (positives === 0 || negatives === 0) throw new RangeError('label metrics need both anomalies and normal events among the labels');
  if (!Number.isInteger(options.k) || options.k <= 0) throw new RangeError('k must be a positive integer');
  const roc = { fpr: [0], tpr: [0] };
  const pr = { recall: [0], precision: [1] };
  const keepCurves = options.curves ?? true;
  let lastFpr = 0;
  let lastTpr = 0;
  let rocAuc = 0;
  let averagePrecision = 0;
  let recallAtFpr = 0;
  let precisionAtK: number | undefined;
  const total = positives + negatives;
  const take = Math.min(options.k, total);
  let prevTp = 0;
  let prevCount = 0;
  for (const p of points) {
    const fpr = p.falsePositives / negatives;
    const tpr = p.truePositives / positives;
    rocAuc += ((fpr - lastFpr) * (tpr + lastTpr)) / 2;
    if (fpr <= options.maxFpr && tpr > recallAtFpr) recallAtFpr = tpr;
    const precision = p.truePositives / (p.truePositives + p.falsePositives);
    averagePrecision += (tpr - lastTpr) * precision;
    if (keepCurves) {
      roc.fpr.push(fpr);
      roc.tpr.push(tpr);
      pr.recall.push(tpr);
      pr.precision.push(precision);
    }
    lastFpr = fpr;
    lastTpr = tpr;
    const count = p.truePositives + p.falsePositives;
    if (precisionAtK === undefined && count >= take) {
      // A tie group straddling position k counts its anomalies pro rata, as precisionAtK.
      precisionAtK = (prevTp + ((p.truePositives - prevTp) * (take - prevCount)) / (count - prevCount)) / take;
    }
    prevTp = p.truePositives;
    prevCount = count;
  }
  return { rocAuc, averagePrecision, precisionAtK: precisionAtK ?? 0, recallAtFpr, roc, pr };
}
