import { crossScore, loadAlgorithmsReference } from '../../fixtures/algorithms/algorithm-fixtures';
import { loadLabelledMatrix } from '../../fixtures/forest/parity-fixtures';
import { featureMatrix } from '../features/feature-matrix';
import { spearmanCorrelation } from '../metrics/rank-correlation';
import { rocAuc } from '../metrics/roc';
import { scoreOneClassSvm } from './score-one-class-svm';
import { trainOneClassSvm } from './train-one-class-svm';

/**
 * Agreement with scikit-learn's OneClassSVM(kernel='rbf', nu=0.5, gamma='scale', tol=1e-3) on the Isolation
 * Forest parity data sets, scored two-fold (tools/checks/sklearn/algorithms_reference.py). The exact solver
 * is libsvm's algorithm, so the same optimum comes out: rho and the support-vector count per fold, and every
 * row's score. The Nyström variant is an approximation; its bar is the exact OneClassSVM's ROC-AUC.
 */
const reference = loadAlgorithmsReference();
const DATASETS = Object.keys(reference.datasets);
const { nu, tol } = reference.ocsvmParams;

describe('one-class SVM parity with scikit-learn OneClassSVM', () => {
  describe.each(DATASETS)('%s', (name) => {
    const ref = reference.datasets[name];
    const { matrix, labels } = loadLabelledMatrix(ref.csv);
    const exact = crossScore(matrix, (rows) => trainOneClassSvm(rows, { nu, tol, gamma: 'scale', scaling: ref.scaling }), scoreOneClassSvm);

    it('exact: ROC-AUC within 0.02 of sklearn’s', () => {
      expect(Math.abs(rocAuc(labels, Array.from(exact.scoreSamples, (s) => -s)) - ref.ocsvm.auc)).toBeLessThanOrEqual(0.02);
    });

    it('exact: ranks rows like sklearn (Spearman ≥ 0.99) and scores every row within 1e-4 relative', () => {
      expect(spearmanCorrelation(exact.scoreSamples, ref.ocsvm.score)).toBeGreaterThanOrEqual(0.99);
      ref.ocsvm.score.forEach((s, i) => expect(Math.abs(exact.scoreSamples[i] - s)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(s))));
    });

    it('exact: the same gamma, rho (offset_) and support-vector count per fold', () => {
      exact.models.forEach((model, fold) => {
        const sk = ref.ocsvm.folds[fold];
        expect(Math.abs(model.params.gamma - sk.gamma)).toBeLessThanOrEqual(1e-6 * sk.gamma); // sklearn's scaler works in float32
        expect(Math.abs(model.rho - sk.rho)).toBeLessThanOrEqual(1e-4 * Math.abs(sk.rho));
        expect(model.offset).toBe(model.rho);
        expect(Math.abs(model.dualCoef.length - sk.nSupport)).toBeLessThanOrEqual(1);
        expect(model.solver.converged).toBe(true);
      });
    });

    it.each(['uniform', 'farthest-first'] as const)('Nyström (100 landmarks, %s): ROC-AUC within 0.02 of sklearn’s exact OneClassSVM', (landmarks) => {
      const approx = crossScore(matrix, (rows) => trainOneClassSvm(rows, { nu, tol, approximation: 'nystroem', nComponents: 100, landmarks, scaling: ref.scaling, seed: 0 }), scoreOneClassSvm);
      expect(Math.abs(rocAuc(labels, Array.from(approx.scoreSamples, (s) => -s)) - ref.ocsvm.auc)).toBeLessThanOrEqual(0.02);
    });
  });
});

describe('one-class SVM edge cases against scikit-learn', () => {
  const edges = reference.edgeCases;
  const matrixOf = (rows: number[][]) => featureMatrix(Float32Array.from(rows.flat()), rows[0].length);
  const close = (ours: ArrayLike<number>, theirs: number[], relative = 1e-6) =>
    theirs.forEach((t, i) => expect(Math.abs(ours[i] - t)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(t))));

  it('a single repeated point: gamma falls back to 1, rho = nu·n, decision exactly 0 at the point', () => {
    const { train, queries, ocsvm } = edges.ocsvmSinglePoint;
    const model = trainOneClassSvm(matrixOf(train));
    expect(model.params.gamma).toBe(1 / 3 / 1.5); // X.var() over every entry of the repeated row (0.5, −1, 2) = 1.5
    expect(model.params.gamma).toBeCloseTo(ocsvm.gamma, 15);
    expect(model.rho).toBe(ocsvm.rho);
    const scores = scoreOneClassSvm(model, matrixOf(queries));
    close(scores.scoreSamples, ocsvm.score);
    close(scores.decision, ocsvm.decision);
    // libsvm's predict says −1 at exactly 0; flowsentry's one rule for every model is decision < 0.
    expect(scores.decision[0]).toBe(0);
    expect(Array.from(scores.labels)).toEqual([1, -1, -1]);
  });

  it('a single tight cluster: sklearn’s rho, support vectors and scores; rows of another cluster score 0', () => {
    const { train, queries, ocsvm } = edges.ocsvmSingleCluster;
    const model = trainOneClassSvm(matrixOf(train));
    expect(Math.abs(model.rho - ocsvm.rho)).toBeLessThanOrEqual(1e-4 * ocsvm.rho);
    expect(model.dualCoef.length).toBe(ocsvm.nSupport);
    const scores = scoreOneClassSvm(model, matrixOf(queries));
    close(scores.scoreSamples, ocsvm.score, 1e-4);
    expect(Array.from(scores.labels)).toEqual(ocsvm.predict);
  });

  it('constant columns: sklearn’s gamma (they count in X.var()), rho and scores', () => {
    const { train, queries, ocsvm } = edges.constantColumns;
    const model = trainOneClassSvm(matrixOf(train));
    expect(model.params.gamma).toBeCloseTo(ocsvm.gamma, 12);
    expect(Math.abs(model.rho - ocsvm.rho)).toBeLessThanOrEqual(1e-4 * ocsvm.rho);
    close(scoreOneClassSvm(model, matrixOf(queries)).scoreSamples, ocsvm.score, 1e-4);
  });
});
