import { averagePrecision } from './average-precision';
import { precisionRecallCurve } from './precision-recall-curve';
import { midRanks, spearmanCorrelation } from './rank-correlation';
import { topKIndices, topKOverlap } from './top-k-overlap';

describe('Spearman rank correlation', () => {
  it('gives tied values their mean rank', () => {
    expect(Array.from(midRanks([10, 20, 20, 5]))).toEqual([2, 3.5, 3.5, 1]);
  });

  it('ranks heavily tied samples as a tie-aware sort would', () => {
    const values = Array.from({ length: 3000 }, (_, i) => Math.round(Math.abs(Math.cos(i * 3.3)) * 20));
    const naive = values.map((v) => {
      const below = values.filter((w) => w < v).length;
      const equal = values.filter((w) => w === v).length;
      return below + (equal + 1) / 2;
    });
    expect(Array.from(midRanks(values))).toEqual(naive);
  });

  it('matches scipy.stats.spearmanr on its documented example, ties included', () => {
    // spearmanr([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) → 0.8207826816681233 (= 8 / √95)
    expect(spearmanCorrelation([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 14);
  });

  it('is 1 for any increasing transform and −1 for a reversal: only the order counts', () => {
    const a = [0.1, 0.5, 0.2, 0.9, 0.3];
    expect(spearmanCorrelation(a, a.map((x) => Math.exp(10 * x)))).toBeCloseTo(1, 14);
    expect(spearmanCorrelation(a, a.map((x) => -x))).toBeCloseTo(-1, 14);
  });

  it('is NaN when a sample is constant, as scipy', () => {
    expect(spearmanCorrelation([1, 1, 1], [1, 2, 3])).toBeNaN();
  });
});

describe('top-k overlap', () => {
  it('shares of the k highest of one scorer found among the k highest of the other', () => {
    const a = [9, 8, 7, 1, 0];
    const b = [9, 1, 7, 8, 0];
    expect(topKOverlap(a, b, 2)).toBe(0.5);
    expect(topKOverlap(a, b, 3)).toBeCloseTo(2 / 3, 15);
    expect(topKOverlap(a, a, 3)).toBe(1);
  });

  it('keeps the same k rows as a full sort, ties included', () => {
    const scores = Array.from({ length: 5000 }, (_, i) => Math.round(Math.abs(Math.sin(i * 7.1)) * 50) / 50);
    const full = Array.from(scores.keys()).sort((a, b) => scores[b]! - scores[a]! || a - b);
    for (const k of [1, 10, 137, 5000]) expect(Array.from(topKIndices(scores, k))).toEqual(full.slice(0, k));
  });

  it('breaks a tie at the k-th place by position and caps k at the sample size', () => {
    expect(Array.from(topKIndices([1, 5, 5, 5], 2))).toEqual([1, 2]);
    expect(topKOverlap([1, 2], [2, 1], 10)).toBe(1);
  });
});

describe('precision-recall curve', () => {
  const labels = [1, 0, 1, 0, 0, 1, 0, 0];
  const scores = [0.9, 0.8, 0.7, 0.7, 0.4, 0.3, 0.2, 0.1];

  it('starts at recall 0, precision 1 and steps down through every distinct score', () => {
    const curve = precisionRecallCurve(labels, scores);
    expect(curve.thresholds.slice(0, 4)).toEqual([Infinity, 0.9, 0.8, 0.7]);
    expect(curve.recall.slice(0, 4)).toEqual([0, 1 / 3, 1 / 3, 2 / 3]);
    expect(curve.precision.slice(0, 4)).toEqual([1, 1, 0.5, 0.5]);
    expect(curve.recall.at(-1)).toBe(1);
  });

  it('has average precision as the area under its steps', () => {
    const { recall, precision } = precisionRecallCurve(labels, scores);
    let area = 0;
    for (let i = 1; i < recall.length; i++) area += (recall[i] - recall[i - 1]) * precision[i];
    expect(area).toBeCloseTo(averagePrecision(labels, scores), 15);
  });
});
