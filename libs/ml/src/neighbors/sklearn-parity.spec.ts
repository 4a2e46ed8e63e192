import { crossScore, loadAlgorithmsReference } from '../../fixtures/algorithms/algorithm-fixtures';
import { loadLabelledMatrix } from '../../fixtures/forest/parity-fixtures';
import { featureMatrix } from '../features/feature-matrix';
import { spearmanCorrelation } from '../metrics/rank-correlation';
import { rocAuc } from '../metrics/roc';
import { scoreLocalOutlierFactor } from './score-local-outlier-factor';
import { trainLocalOutlierFactor } from './train-local-outlier-factor';

/**
 * Agreement with scikit-learn's LocalOutlierFactor(novelty=True, n_neighbors=20, contamination='auto') on
 * the Isolation Forest parity data sets, scored two-fold (tools/checks/sklearn/algorithms_reference.py).
 * LOF is deterministic, so rows are compared one by one; the only source of difference is which of
 * several equally distant rows becomes the k-th neighbour, where sklearn's kd-tree order is arbitrary
 * (breastw's integer columns tie constantly).
 */
const reference = loadAlgorithmsReference();
const DATASETS = Object.keys(reference.datasets);

describe('LOF parity with scikit-learn LocalOutlierFactor(novelty=True)', () => {
  it('covers the Isolation Forest parity data sets, and the producer flows standardised', () => {
    expect(DATASETS).toEqual(expect.arrayContaining(['breastw', 'ionosphere', 'pima', 'satellite', 'shuttle', 'flows', 'flows+standard']));
  });

  describe.each(DATASETS)('%s', (name) => {
    const ref = reference.datasets[name];
    const { matrix, labels } = loadLabelledMatrix(ref.csv);
    const { scoreSamples, decision, models } = crossScore(
      matrix,
      (rows) => trainLocalOutlierFactor(rows, { nNeighbors: reference.lofParams.n_neighbors, scaling: ref.scaling }),
      scoreLocalOutlierFactor,
    );

    it('reaches a ROC-AUC within 0.02 of sklearn’s', () => {
      expect(Math.abs(rocAuc(labels, Array.from(scoreSamples, (s) => -s)) - ref.lof.auc)).toBeLessThanOrEqual(0.02);
    });

    it('ranks rows like sklearn (Spearman ≥ 0.99 between score_samples)', () => {
      expect(spearmanCorrelation(scoreSamples, ref.lof.score)).toBeGreaterThanOrEqual(0.99);
    });

    it('uses offset −1.5 for contamination auto and labels the same share of rows as outliers (±0.01)', () => {
      for (const model of models) expect(model.offset).toBe(-1.5);
      const share = decision.filter((d) => d < 0).length / decision.length;
      expect(Math.abs(share - ref.lof.outlierShare)).toBeLessThanOrEqual(0.01);
    });
  });
});

describe('LOF edge cases against scikit-learn', () => {
  const edges = reference.edgeCases;
  const matrixOf = (rows: number[][]) => featureMatrix(Float32Array.from(rows.flat()), rows[0].length);
  const close = (ours: ArrayLike<number>, theirs: number[]) =>
    theirs.forEach((t, i) => expect(Math.abs(ours[i] - t)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(t))));

  it('duplicated points: more copies than n_neighbors give k-distance 0, density 1e10 and sklearn’s exact scores', () => {
    const { train, queries, lof } = edges.lofDuplicates;
    const model = trainLocalOutlierFactor(matrixOf(train), { nNeighbors: 20 });
    // The 25 copies of (1, 2) come first: each one's 20 nearest other rows are copies at distance 0.
    for (let i = 0; i < 25; i++) {
      expect(model.kDistance[i]).toBe(0);
      expect(model.lrd[i]).toBeCloseTo(1e10, -1);
    }
    const scores = scoreLocalOutlierFactor(model, matrixOf(queries)).scoreSamples;
    expect(scores[0]).toBe(-1); // a copy among copies: every ratio lrd(o)/lrd(x) is 1e10/1e10
    close(scores, lof.score);
  });

  it('constant columns: sklearn’s scores, and the same scores as without the columns', () => {
    const { train, queries, lof } = edges.constantColumns;
    const scores = scoreLocalOutlierFactor(trainLocalOutlierFactor(matrixOf(train)), matrixOf(queries)).scoreSamples;
    close(scores, lof.score);
    const dropConstant = (rows: number[][]) => matrixOf(rows.map((row) => row.slice(0, 3)));
    const without = scoreLocalOutlierFactor(trainLocalOutlierFactor(dropConstant(train)), dropConstant(queries)).scoreSamples;
    expect(Array.from(scores)).toEqual(Array.from(without));
  });
});
