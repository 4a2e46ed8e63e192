import { isPositive, type Labels, type Scores } from './ranking';

export interface ThresholdQuality {
  threshold: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  precision: number;
  recall: number;
  f1: number;
  alertRate: number;
}

/** Confusion counts, precision, recall and F1 when alerting on score >= threshold (0 where undefined, as sklearn's zero_division=0). */
export function evaluateThreshold(labels: Labels, scores: Scores, threshold: number): ThresholdQuality {
  if (labels.length !== scores.length) throw new RangeError('labels and scores differ in length');
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < scores.length; i++) {
    const alert = scores[i] >= threshold;
    const positive = isPositive(labels[i]);
    if (alert && positive) tp++;
    else if (alert) fp++;
    else if (positive) fn++;
    else tn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { threshold, truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn, precision, recall, f1, alertRate: scores.length > 0 ? (tp + fp) / scores.length : 0 };
}

export function f1AtThreshold(labels: Labels, scores: Scores, threshold: number): number {
  return evaluateThreshold(labels, scores, threshold).f1;
}

/**
 * The lowest threshold, among observed scores, whose alert rate (share of score >= threshold) does
 * not exceed `targetRate` — e.g. 0.001 for "one alert per thousand flows", the budget a SOC can
 * triage. Works on unlabelled scores. Ties can make the exact rate unreachable; we then stay
 * under it rather than over. +Infinity means even the top score alone exceeds the budget.
 */
export function thresholdForAlertRate(scores: Scores, targetRate: number): { threshold: number; alertRate: number } {
  const n = scores.length;
  if (n === 0) throw new RangeError('thresholdForAlertRate needs scores');
  if (!(targetRate >= 0 && targetRate <= 1)) throw new RangeError('targetRate must be in [0, 1]');
  const sorted = Float64Array.from(scores).sort().reverse();
  const budget = Math.floor(targetRate * n + 1e-9);
  let best = { threshold: Infinity, alertRate: 0 };
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && sorted[j + 1] === sorted[i]) j++;
    if (j + 1 > budget) break;
    best = { threshold: sorted[i], alertRate: (j + 1) / n };
    i = j + 1;
  }
  return best;
}
