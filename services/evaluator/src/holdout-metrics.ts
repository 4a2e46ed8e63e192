import { rankInOrder, scoreOrder, ScoreSummary, spearmanCorrelation, summarizeRanking, summarizeScores, topKOverlap } from '@flowsentry/ml';
import { HoldoutLabels } from './holdout';

/** A model's scores on the held-out rows, as anomaly scores (−score_samples: higher = more anomalous). */
export interface HoldoutScores {
  anomaly: Float64Array;
  /** The model's alert threshold on the anomaly score: a row alerts when its score is above it. */
  threshold: number;
}

export interface LabelledMetrics {
  rocAuc: number;
  averagePrecision: number;
  precisionAtK: number;
  /** Best recall with a false-positive rate at most `fpr`. */
  recallAtFpr: number;
  fpr: number;
  /** Recall, precision and false-positive rate of the model's own threshold. */
  atThreshold: { recall: number; precision: number; fpr: number };
  /** Each attack type against the normal rows. */
  perAttack: Record<string, { rows: number; rocAuc: number; averagePrecision: number; recallAtFpr: number; recallAtThreshold: number }>;
}

export interface UnlabelledMetrics {
  /** Share of all held-out rows that alert. */
  alertRate: number;
  /** Share of the rows not labelled as attacks that alert: the false-alarm load on analysts. */
  normalAlertRate: number;
  /** How many rows that rate was counted on, so a gate can tell sampling noise from a real excess. */
  normalRows: number;
  distribution: ScoreSummary;
  /** Whether every score is a finite number. */
  finite: boolean;
}

export interface ChampionAgreement {
  /** Spearman's rank correlation of the two models' anomaly scores. */
  spearman: number;
  /** Share of the challenger's top k flows that are among the champion's top k. */
  topKOverlap: number;
  k: number;
}

export function toAnomalyScores(scoreSamples: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scoreSamples.length);
  for (let i = 0; i < out.length; i++) out[i] = -scoreSamples[i]!;
  return out;
}

export function unlabelledMetrics(scores: HoldoutScores, labels: HoldoutLabels): UnlabelledMetrics {
  const { anomaly, threshold } = scores;
  let alerts = 0;
  let normalRows = 0;
  let normalAlerts = 0;
  let finite = true;
  for (let i = 0; i < anomaly.length; i++) {
    if (!Number.isFinite(anomaly[i])) finite = false;
    const alert = anomaly[i]! > threshold;
    if (alert) alerts++;
    if (labels.positive[i]) continue;
    normalRows++;
    if (alert) normalAlerts++;
  }
  return {
    alertRate: anomaly.length > 0 ? alerts / anomaly.length : 0,
    normalAlertRate: normalRows > 0 ? normalAlerts / normalRows : 0,
    normalRows,
    distribution: summarizeScores(anomaly, { threshold }),
    finite,
  };
}

export interface Curves {
  /** (fpr, tpr) points. */
  roc: Array<[number, number]>;
  /** (recall, precision) points. */
  pr: Array<[number, number]>;
}

/**
 * Label-based metrics and the downsampled ROC and PR curves; call only when `labels.labelled` (both
 * classes present). The scores are sorted once, and each attack type is ranked against the normal
 * rows by walking that order.
 */
export function labelledMetrics(scores: HoldoutScores, labels: HoldoutLabels, settings: { fpr: number; topK: number }, curvePoints = 200): { metrics: LabelledMetrics; curves: Curves } {
  const { anomaly, threshold } = scores;
  const order = scoreOrder(anomaly);
  const options = { maxFpr: settings.fpr, k: settings.topK };
  const all = summarizeRanking(rankInOrder(labels.positive, anomaly, order), options);
  const perAttack: LabelledMetrics['perAttack'] = {};
  for (const attack of Object.keys(labels.attackTypes).sort()) {
    const include = (row: number) => labels.attack[row] === attack || !labels.positive[row];
    const m = summarizeRanking(rankInOrder(labels.positive, anomaly, order, include), { ...options, curves: false });
    perAttack[attack] = {
      rows: labels.attackTypes[attack]!,
      rocAuc: m.rocAuc,
      averagePrecision: m.averagePrecision,
      recallAtFpr: m.recallAtFpr,
      recallAtThreshold: thresholdCounts(labels.positive, anomaly, threshold, include).recall,
    };
  }
  return {
    metrics: {
      rocAuc: all.rocAuc,
      averagePrecision: all.averagePrecision,
      precisionAtK: all.precisionAtK,
      recallAtFpr: all.recallAtFpr,
      fpr: settings.fpr,
      atThreshold: thresholdCounts(labels.positive, anomaly, threshold),
      perAttack,
    },
    curves: { roc: downsample(all.roc.fpr, all.roc.tpr, curvePoints), pr: downsample(all.pr.recall, all.pr.precision, curvePoints) },
  };
}

export function championAgreement(challenger: Float64Array, champion: Float64Array, k: number): ChampionAgreement {
  return { spearman: spearmanCorrelation(challenger, champion), topKOverlap: topKOverlap(challenger, champion, k), k: Math.min(k, challenger.length) };
}

/** At most `points` points of a curve, evenly spaced along it, the first and last always kept. */
export function downsample(xs: readonly number[], ys: readonly number[], points = 200): Array<[number, number]> {
  const n = xs.length;
  const keep = n <= points ? Array.from({ length: n }, (_, i) => i) : Array.from({ length: points }, (_, i) => Math.round((i * (n - 1)) / (points - 1)));
  return keep.map((i) => [round(xs[i]!), round(ys[i]!)]);
}

/** Counts of each bin over shared edges, so two models' histograms can be drawn on one axis. */
export function histograms(series: readonly Float64Array[], bins = 40): { edges: number[]; counts: number[][] } {
  let min = Infinity;
  let max = -Infinity;
  for (const s of series) {
    for (const v of s) {
      if (!Number.isFinite(v)) continue;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  if (!Number.isFinite(min)) return { edges: [], counts: series.map(() => []) };
  if (max === min) max = min + 1e-9;
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => round(min + i * width));
  const counts = series.map((s) => {
    const c = new Array<number>(bins).fill(0);
    for (const v of s) if (Number.isFinite(v)) c[Math.min(bins - 1, Math.floor((v - min) / width))]!++;
    return c;
  });
  return { edges, counts };
}

function thresholdCounts(labels: ArrayLike<number>, anomaly: ArrayLike<number>, threshold: number, include?: (row: number) => boolean): { recall: number; precision: number; fpr: number } {
  let tp = 0;
  let fp = 0;
  let positives = 0;
  let rows = 0;
  for (let i = 0; i < anomaly.length; i++) {
    if (include && !include(i)) continue;
    rows++;
    const alert = anomaly[i]! > threshold;
    if (labels[i]) {
      positives++;
      if (alert) tp++;
    } else if (alert) fp++;
  }
  const negatives = rows - positives;
  return { recall: positives > 0 ? tp / positives : 0, precision: tp + fp > 0 ? tp / (tp + fp) : 0, fpr: negatives > 0 ? fp / negatives : 0 };
}

function round(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 1e6) / 1e6 : x;
}
