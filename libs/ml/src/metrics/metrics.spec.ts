import { averagePrecision } from './average-precision';
import { precisionAtK } from './precision-at-k';
import { recallAtFpr, rocAuc } from './roc';
import { summarizeScores } from './score-summary';
import { evaluateThreshold, f1AtThreshold, thresholdForAlertRate } from './threshold';

describe('label-based metrics (higher score = more anomalous)', () => {
  const labels = [1, 0, 1, 0, 0, 1, 0, 0];
  const scores = [0.9, 0.8, 0.7, 0.7, 0.4, 0.3, 0.2, 0.1];

  it('scores a perfect ranking 1 and a reversed one 0', () => {
    expect(rocAuc([1, 1, 0, 0], [4, 3, 2, 1])).toBe(1);
    expect(rocAuc([1, 1, 0, 0], [1, 2, 3, 4])).toBe(0);
    expect(averagePrecision([1, 1, 0, 0], [4, 3, 2, 1])).toBe(1);
  });

  it('counts a tied anomaly/normal pair as half correct', () => {
    // 3 anomalies × 5 normals = 15 pairs; 0.9 beats 5, 0.7 beats 3 and ties 1, 0.3 beats 2
    expect(rocAuc(labels, scores)).toBeCloseTo((5 + 3.5 + 2) / 15, 12);
  });

  it('accepts booleans and typed arrays', () => {
    expect(rocAuc(labels.map((l) => l === 1), Float64Array.from(scores))).toBeCloseTo(rocAuc(labels, scores), 15);
  });

  it('refuses ROC-AUC when only one class is present', () => {
    expect(() => rocAuc([0, 0], [1, 2])).toThrow(RangeError);
  });

  it('gives precision among the top k, sharing a straddling tie pro rata', () => {
    expect(precisionAtK(labels, scores, 1)).toBe(1);
    expect(precisionAtK(labels, scores, 2)).toBe(0.5);
    // top 3 = 0.9, 0.8 and one of the two tied 0.7s (one anomaly, one normal): expected 1.5 / 3
    expect(precisionAtK(labels, scores, 3)).toBeCloseTo(0.5, 12);
    expect(precisionAtK(labels, scores, 100)).toBeCloseTo(3 / 8, 12);
  });

  it('finds the best recall that keeps the false-positive rate under a cap', () => {
    expect(recallAtFpr(labels, scores, 0)).toEqual({ recall: 1 / 3, threshold: 0.9, fpr: 0 });
    expect(recallAtFpr(labels, scores, 0.2).recall).toBeCloseTo(1 / 3, 12);
    expect(recallAtFpr(labels, scores, 0.4)).toEqual({ recall: 2 / 3, threshold: 0.7, fpr: 0.4 });
  });

  it('computes precision, recall and F1 for alerts at score >= threshold', () => {
    const q = evaluateThreshold(labels, scores, 0.7);
    expect([q.truePositives, q.falsePositives, q.falseNegatives, q.trueNegatives]).toEqual([2, 2, 1, 3]);
    expect(q.f1).toBeCloseTo((2 * 0.5 * (2 / 3)) / (0.5 + 2 / 3), 12);
    expect(f1AtThreshold(labels, scores, 10)).toBe(0);
  });
});

describe('threshold for a target alert rate', () => {
  it('picks the lowest threshold whose alert rate stays within the budget', () => {
    const scores = Array.from({ length: 1000 }, (_, i) => i);
    expect(thresholdForAlertRate(scores, 0.01)).toEqual({ threshold: 990, alertRate: 0.01 });
    expect(thresholdForAlertRate(scores, 0)).toEqual({ threshold: Infinity, alertRate: 0 });
    expect(thresholdForAlertRate(scores, 1)).toEqual({ threshold: 0, alertRate: 1 });
  });

  it('stays under the budget when ties make it unreachable', () => {
    const scores = [5, 5, 5, 4, 3, 2, 1, 0, 0, 0];
    expect(thresholdForAlertRate(scores, 0.2)).toEqual({ threshold: Infinity, alertRate: 0 });
    expect(thresholdForAlertRate(scores, 0.4)).toEqual({ threshold: 4, alertRate: 0.4 });
  });
});

describe('score summaries for unlabelled batches', () => {
  it('reports numpy-style quantiles, mean, population std and the share at or above a threshold', () => {
    const s = summarizeScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], { threshold: 8, quantiles: [0.5, 0.9] });
    expect(s).toMatchObject({ count: 10, mean: 5.5, min: 1, max: 10, shareAboveThreshold: 0.3 });
    expect(s.std).toBeCloseTo(Math.sqrt(8.25), 12);
    expect(s.quantiles).toEqual({ p50: 5.5, p90: 9.1 });
  });
});
