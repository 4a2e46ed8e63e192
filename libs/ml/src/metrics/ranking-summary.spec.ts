import { loadScipyFixtures } from '../../fixtures/stats/fixture-sample';
import { averagePrecision } from './average-precision';
import { precisionAtK } from './precision-at-k';
import { precisionRecallCurve } from './precision-recall-curve';
import { rankByScore } from './ranking';
import { rankInOrder, scoreOrder, summarizeRanking } from './ranking-summary';
import { recallAtFpr, rocAuc, rocCurve } from './roc';

const fixtures = loadScipyFixtures();
const cases = [
  ...fixtures.metrics.filter((c) => new Set(c.labels).size === 2).map((c) => [c.name, c.labels, c.scores] as const),
  ['hand-made ties', [1, 0, 1, 0, 0, 1, 0, 0], [0.9, 0.8, 0.7, 0.7, 0.4, 0.3, 0.2, 0.1]] as const,
];

describe('all label metrics from one sort', () => {
  describe.each(cases)('%s', (_name, labels, scores) => {
    const summary = summarizeRanking(rankInOrder(labels, scores, scoreOrder(scores)), { maxFpr: 0.05, k: 7 });

    it('gives exactly what the single-metric functions give', () => {
      expect(summary.rocAuc).toBe(rocAuc(labels, scores));
      expect(summary.averagePrecision).toBe(averagePrecision(labels, scores));
      expect(summary.precisionAtK).toBe(precisionAtK(labels, scores, 7));
      expect(summary.recallAtFpr).toBe(recallAtFpr(labels, scores, 0.05).recall);
      const roc = rocCurve(labels, scores);
      expect(summary.roc).toEqual({ fpr: roc.fpr, tpr: roc.tpr });
      const pr = precisionRecallCurve(labels, scores);
      expect(summary.pr).toEqual({ recall: pr.recall, precision: pr.precision });
    });

    it('gives the same figures without building the curves', () => {
      const { roc, pr, ...figures } = summarizeRanking(rankInOrder(labels, scores, scoreOrder(scores)), { maxFpr: 0.05, k: 7, curves: false });
      const { roc: _roc, pr: _pr, ...expected } = summary;
      expect(figures).toEqual(expected);
      expect([roc.fpr.length, pr.recall.length]).toEqual([1, 1]);
    });

    it('ranks a subset of the rows as rankByScore ranks that subset alone', () => {
      const keep = (row: number) => row % 3 !== 1;
      const rows = Array.from(scores.keys()).filter(keep);
      expect(rankInOrder(labels, scores, scoreOrder(scores), keep)).toEqual(
        rankByScore(
          rows.map((i) => labels[i]!),
          rows.map((i) => scores[i]!),
        ),
      );
    });
  });

  it('refuses NaN scores and a single class, as the single-metric functions', () => {
    expect(() => scoreOrder([0.1, NaN])).toThrow(RangeError);
    expect(() => summarizeRanking(rankInOrder([0, 0], [1, 2], scoreOrder([1, 2])), { maxFpr: 0.1, k: 1 })).toThrow(RangeError);
  });
});
