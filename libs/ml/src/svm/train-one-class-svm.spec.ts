import { gaussian, randomMatrix } from '../../fixtures/scoring-data';
import { featureMatrix } from '../features/feature-matrix';
import { SeededRandom } from '../forest/seeded-random';
import { spearmanCorrelation } from '../metrics/rank-correlation';
import { scoreOneClassSvm } from './score-one-class-svm';
import { trainOneClassSvm } from './train-one-class-svm';

describe('trainOneClassSvm', () => {
  const rows = randomMatrix(600, 4, 1, gaussian);

  it('exact: reaches the one-class optimum (Σα = ν·n, 0 < α ≤ 1, free alphas on the margin within tol)', () => {
    const model = trainOneClassSvm(rows, { nu: 0.2, scaling: 'standard' });
    const alphaSum = model.dualCoef.reduce((a, b) => a + b, 0);
    expect(alphaSum).toBeCloseTo(0.2 * 600, 9);
    for (const a of model.dualCoef) expect(a > 0 && a <= 1).toBe(true);
    // KKT: a free support vector sits on the decision boundary, a bounded one (α = 1) on or inside the margin.
    const sv = featureMatrix(Float32Array.from(model.supportVectors), 4); // scaled space: score through an unscaled twin
    const twin = { ...model, scaling: null };
    const decision = scoreOneClassSvm(twin, sv).decision;
    model.dualCoef.forEach((a, i) => {
      if (a < 1) expect(Math.abs(decision[i])).toBeLessThan(2e-3);
      else expect(decision[i]).toBeLessThan(2e-3);
    });
    expect(model.solver.converged).toBe(true);
  });

  it('resolves gamma as sklearn: scale = 1/(F·Var(X)), auto = 1/F, 1 when every value is equal', () => {
    const x = featureMatrix(Float32Array.from([0, 2, 4, 6]), 2); // Var over all entries = 5
    expect(trainOneClassSvm(x).params.gamma).toBeCloseTo(1 / (2 * 5), 15);
    expect(trainOneClassSvm(x, { gamma: 'auto' }).params.gamma).toBe(0.5);
    expect(trainOneClassSvm(featureMatrix(new Float32Array(6).fill(3), 2)).params.gamma).toBe(1);
  });

  it('gives the same model whatever the kernel cache size (columns are recomputed, not approximated)', () => {
    const big = trainOneClassSvm(rows, { nu: 0.3 });
    const tiny = trainOneClassSvm(rows, { nu: 0.3, cacheMb: 0.001 });
    expect(Array.from(tiny.dualCoef)).toEqual(Array.from(big.dualCoef));
    expect(tiny.rho).toBe(big.rho);
  });

  it('Nyström with as many landmarks as rows ranks like the exact solution, and gets closer with more landmarks', () => {
    const sample = randomMatrix(300, 4, 2, gaussian);
    const exact = scoreOneClassSvm(trainOneClassSvm(sample, { nu: 0.1 }), rows).scoreSamples;
    const full = trainOneClassSvm(sample, { nu: 0.1, approximation: 'nystroem', nComponents: 300 });
    expect(full.params.nComponents).toBe(300);
    expect(spearmanCorrelation(scoreOneClassSvm(full, rows).scoreSamples, exact)).toBeGreaterThan(0.999);
    const agreement = [25, 100, 200].map((nComponents) =>
      spearmanCorrelation(scoreOneClassSvm(trainOneClassSvm(sample, { nu: 0.1, approximation: 'nystroem', nComponents }), rows).scoreSamples, exact),
    );
    expect(agreement[0]).toBeLessThan(agreement[1]);
    expect(agreement[1]).toBeLessThan(agreement[2]);
    expect(agreement[2]).toBeGreaterThan(0.99);
  });

  it('is deterministic for a seed; Nyström landmarks and subsamples change with it', () => {
    const a = trainOneClassSvm(rows, { approximation: 'nystroem', nComponents: 30, seed: 5 });
    expect(Array.from(trainOneClassSvm(rows, { approximation: 'nystroem', nComponents: 30, seed: 5 }).dualCoef)).toEqual(Array.from(a.dualCoef));
    expect(Array.from(trainOneClassSvm(rows, { approximation: 'nystroem', nComponents: 30, seed: 6 }).supportVectors)).not.toEqual(Array.from(a.supportVectors));
    expect(trainOneClassSvm(rows, { maxSamples: 100, seed: 1 }).params.maxSamples).toBe(100);
  });

  describe('a flow unlike any training row', () => {
    // Flow data standardised: most columns continuous, and a one-hot of a rare category (1% of rows, like
    // ICMP among TCP flows) whose rows then sit ~10 standard deviations out in that column, a small
    // cluster of ordinary rows far from the rest. The probe is a common-category row 6σ out in two
    // continuous columns: in no training row's neighbourhood, as the e2e's planted 40 GB flows.
    const cols = 8;
    const rows = 2000;
    const dataset = (seed: number) => {
      const random = new SeededRandom(seed);
      const data = new Float32Array(rows * cols);
      for (let i = 0; i < rows; i++) {
        for (let c = 0; c < cols - 1; c++) data[i * cols + c] = gaussian(random) / 100;
        data[i * cols + cols - 1] = i % 100 === 0 ? 1 : 0;
      }
      const probe = new Float32Array(cols);
      probe[0] = probe[1] = 6;
      return { training: featureMatrix(data, cols), probe: featureMatrix(probe, cols) };
    };
    /** Training rows scoring below the probe: those an alert threshold must pass before it reaches the probe. */
    const rankOfProbe = (seed: number, options: Parameters<typeof trainOneClassSvm>[1]) => {
      const { training, probe } = dataset(seed);
      const model = trainOneClassSvm(training, { nu: 0.1, scaling: 'standard', seed, ...options });
      const score = scoreOneClassSvm(model, probe).scoreSamples[0]!;
      return scoreOneClassSvm(model, training).scoreSamples.filter((s) => s < score).length;
    };
    const seeds = Array.from({ length: 12 }, (_, i) => i + 1);

    it('scores below every training row with farthest-first landmarks, as with the exact kernel', () => {
      expect(rankOfProbe(1, { approximation: 'exact' })).toBe(0);
      expect(seeds.map((seed) => rankOfProbe(seed, { approximation: 'nystroem', nComponents: 30, landmarks: 'farthest-first' }))).toEqual(seeds.map(() => 0));
    });

    it('scores above the rare rows with uniform landmarks for most seeds: few or none of them is a landmark', () => {
      const ranks = seeds.map((seed) => rankOfProbe(seed, { approximation: 'nystroem', nComponents: 30, landmarks: 'uniform' }));
      expect(ranks.filter((rank) => rank > 0).length).toBeGreaterThanOrEqual(9);
      expect(Math.max(...ranks)).toBeLessThanOrEqual(rows / 100);
    });
  });

  it('refuses non-finite training values and bad options; scores a non-finite row NaN', () => {
    expect(() => trainOneClassSvm(featureMatrix(Float32Array.from([1, Infinity]), 1))).toThrow(/non-finite value at row 1/);
    expect(() => trainOneClassSvm(rows, { nu: 0 })).toThrow(/nu must be in/);
    expect(() => trainOneClassSvm(rows, { kernel: 'poly' as 'rbf' })).toThrow(/only the 'rbf' kernel/);
    expect(() => trainOneClassSvm(rows, { approximation: 'nystroem', landmarks: 'kmeans' as 'uniform' })).toThrow(/landmarks must be one of uniform, farthest-first/);
    const model = trainOneClassSvm(rows);
    const scores = scoreOneClassSvm(model, featureMatrix(Float32Array.from([0, 0, 0, 0, 0, NaN, 0, 0]), 4));
    expect(Number.isNaN(scores.scoreSamples[1])).toBe(true);
    expect(Number.isFinite(scores.scoreSamples[0])).toBe(true);
  });
});
