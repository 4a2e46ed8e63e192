import { loadLabelledMatrix, loadSklearnReference, rocAuc } from '../../fixtures/forest/parity-fixtures';
import { referenceScore } from '../scoring/reference-score';
import { trainIsolationForest } from './train-isolation-forest';

/**
 * Agreement with scikit-learn's IsolationForest on the fixtures written by tools/checks/sklearn/run.sh:
 * the Isolation Forest paper's data sets shipped by r-cran-mlbench plus `flows`, a simulated day of the traffic
 * producer's labelled NetworkEvents (every attack kind) through the default NetworkEvent FeaturePipeline.
 * The random streams differ from numpy's, so agreement is statistical: over the same 10 seeds.
 */
const reference = loadSklearnReference();
const DATASETS = Object.keys(reference.datasets);

function quantile(sorted: Float64Array, q: number): number {
  const rank = q * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ranks = (v: ArrayLike<number>): Float64Array => {
    const order = Array.from({ length: v.length }, (_, i) => i).sort((x, y) => v[x] - v[y]);
    const r = new Float64Array(v.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && v[order[j + 1]] === v[order[i]]) j++;
      for (let k = i; k <= j; k++) r[order[k]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const mean = (ra.length - 1) / 2;
  let cov = 0, va = 0, vb = 0;
  for (let i = 0; i < ra.length; i++) {
    cov += (ra[i] - mean) * (rb[i] - mean);
    va += (ra[i] - mean) ** 2;
    vb += (rb[i] - mean) ** 2;
  }
  return cov / Math.sqrt(va * vb);
}

describe('parity with scikit-learn IsolationForest (same parameters, seeds 0–9)', () => {
  it('covers at least four of the paper’s data sets and the traffic producer’s labelled flows', () => {
    expect(DATASETS).toEqual(expect.arrayContaining(['ionosphere', 'pima', 'breastw', 'satellite', 'shuttle', 'flows']));
  });

  describe.each(DATASETS)('%s', (name) => {
    const ref = reference.datasets[name];
    const { matrix, labels } = loadLabelledMatrix(name);
    const runs = reference.seeds.map((seed) => {
      const scores = referenceScore(trainIsolationForest(matrix, { seed }), matrix);
      return { scores, auc: rocAuc(labels, scores.scoreSamples.map((s) => -s)) };
    });

    it('reaches a mean ROC-AUC within 0.02 of sklearn’s', () => {
      const meanAuc = runs.reduce((sum, run) => sum + run.auc, 0) / runs.length;
      expect(Math.abs(meanAuc - ref.meanAuc)).toBeLessThanOrEqual(0.02);
    });

    it('produces a score_samples distribution matching sklearn’s quantiles within 0.02', () => {
      for (const q of reference.quantiles) {
        const ours = runs.reduce((sum, run) => sum + quantile(Float64Array.from(run.scores.scoreSamples).sort(), q), 0) / runs.length;
        expect(Math.abs(ours - ref.scoreQuantiles[String(q)])).toBeLessThanOrEqual(0.02);
      }
    });

    it('ranks rows like sklearn (Spearman ≥ 0.95 between seed-averaged scores)', () => {
      const mean = new Float64Array(matrix.rows);
      for (const run of runs) run.scores.scoreSamples.forEach((s, i) => (mean[i] += s / runs.length));
      expect(spearman(mean, ref.meanScore)).toBeGreaterThanOrEqual(0.95);
    });

    it('labels about the same share of rows as outliers with contamination auto (offset −0.5)', () => {
      const share = runs.reduce((sum, run) => sum + run.scores.labels.filter((l) => l === -1).length / matrix.rows, 0) / runs.length;
      expect(Math.abs(share - ref.outlierShare)).toBeLessThanOrEqual(0.03);
    });
  });
});
