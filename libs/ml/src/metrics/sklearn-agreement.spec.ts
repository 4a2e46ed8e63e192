import { loadScipyFixtures } from '../../fixtures/stats/fixture-sample';
import { averagePrecision } from './average-precision';
import { recallAtFpr, rocAuc } from './roc';

const fixtures = loadScipyFixtures();

describe(`agreement with scikit-learn ${fixtures.versions.sklearn}`, () => {
  describe.each(fixtures.metrics.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    it('matches roc_auc_score, ties included', () => {
      expect(Math.abs(rocAuc(c.labels, c.scores) - c.roc_auc)).toBeLessThan(1e-12);
    });

    it('matches average_precision_score', () => {
      expect(Math.abs(averagePrecision(c.labels, c.scores) - c.average_precision)).toBeLessThan(1e-12);
    });

    it('matches the best recall on roc_curve at fixed false-positive rates', () => {
      for (const [target, recall] of Object.entries(c.recall_at_fpr)) {
        expect(recallAtFpr(c.labels, c.scores, Number(target)).recall).toBeCloseTo(recall, 12);
      }
    });
  });
});
