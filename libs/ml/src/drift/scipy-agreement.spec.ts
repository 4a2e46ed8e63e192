import { loadScipyFixtures, materialize } from '../../fixtures/stats/fixture-sample';
import { chiSquareContingency, chiSquareGoodnessOfFit, jensenShannonDistance } from './categorical';
import { ks2Sample } from './ks';
import { psi } from './psi';
import { chiSquareSurvival } from './special-functions';
import { wasserstein1 } from './wasserstein';

const fixtures = loadScipyFixtures();
const TOL = 1e-6;
const counts = (r: Record<string, number>) => new Map(Object.entries(r));

describe(`agreement with SciPy ${fixtures.versions.scipy}`, () => {
  describe.each(fixtures.numeric.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const x = materialize(c.x);
    const y = materialize(c.y);

    it('rebuilds the generated samples bit for bit', () => {
      for (const [values, sample] of [[x, c.x], [y, c.y]] as const) {
        if ('gen' in sample) {
          expect(values.slice(0, 3)).toEqual(sample.check.head);
          expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(sample.check.sum, 6);
        }
      }
    });

    it(`matches ks_2samp (method='auto' → ${c.ks.method}) in statistic and p-value`, () => {
      const r = ks2Sample(x, y);
      expect(r.method).toBe(c.ks.method);
      expect(Math.abs(r.statistic - c.ks.statistic)).toBeLessThan(TOL);
      expect(Math.abs(r.pValue - c.ks.pvalue)).toBeLessThan(TOL);
    });

    it('matches wasserstein_distance', () => {
      expect(Math.abs(wasserstein1(x, y) - c.wasserstein)).toBeLessThan(TOL);
    });

    it('matches an independent numpy PSI', () => {
      expect(Math.abs(psi(x, y).psi - c.psi)).toBeLessThan(TOL);
    });
  });

  describe.each(fixtures.categorical.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    it('matches chi2_contingency (with its default Yates correction at dof = 1)', () => {
      const r = chiSquareContingency(counts(c.reference), counts(c.batch));
      expect(r.dof).toBe(c.contingency.dof);
      expect(Math.abs(r.statistic - c.contingency.statistic)).toBeLessThan(TOL);
      expect(Math.abs(r.pValue - c.contingency.pvalue)).toBeLessThan(TOL);
    });

    it('matches distance.jensenshannon', () => {
      expect(Math.abs(jensenShannonDistance(counts(c.reference), counts(c.batch)) - c.jensenshannon)).toBeLessThan(TOL);
    });

    if (c.goodness_of_fit) {
      const gof = c.goodness_of_fit;
      it('matches chisquare against baseline frequencies', () => {
        const r = chiSquareGoodnessOfFit(counts(c.reference), counts(c.batch));
        expect(Math.abs(r.statistic - gof.statistic)).toBeLessThan(TOL);
        expect(Math.abs(r.pValue - gof.pvalue)).toBeLessThan(TOL);
      });
    }
  });

  it('matches chi2.sf across degrees of freedom', () => {
    for (const c of fixtures.chi2_sf) expect(Math.abs(chiSquareSurvival(c.x, c.dof) - c.sf)).toBeLessThan(1e-10);
  });
});
