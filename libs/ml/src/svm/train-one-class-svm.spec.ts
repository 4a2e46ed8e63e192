import { gaussian, randomMatrix } from '../../fixtures/scoring-data';
import { featureMatrix } from '../features/feature-matrix';
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

  it('refuses non-finite training values and bad options; scores a non-finite row NaN', () => {
    expect(() => trainOneClassSvm(featureMatrix(Float32Array.from([1, Infinity]), 1))).toThrow(/non-finite value at row 1/);
    expect(() => trainOneClassSvm(rows, { nu: 0 })).toThrow(/nu must be in/);
    expect(() => trainOneClassSvm(rows, { kernel: 'poly' as 'rbf' })).toThrow(/only the 'rbf' kernel/);
    const model = trainOneClassSvm(rows);
    const scores = scoreOneClassSvm(model, featureMatrix(Float32Array.from([0, 0, 0, 0, 0, NaN, 0, 0]), 4));
    expect(Number.isNaN(scores.scoreSamples[1])).toBe(true);
    expect(Number.isFinite(scores.scoreSamples[0])).toBe(true);
  });
});
