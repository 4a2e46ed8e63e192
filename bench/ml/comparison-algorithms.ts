// The built library when run by compare-algorithms.sh, as the services run it.
import {
  exportLocalOutlierFactorOnnx,
  exportOneClassSvmOnnx,
  exportOnnx,
  FeatureMatrix,
  LocalOutlierFactorModel,
  referenceScore,
  scoreLocalOutlierFactor,
  scoreOneClassSvm,
  trainingSubsample,
  trainIsolationForest,
  trainLocalOutlierFactor,
  trainLocalOutlierFactorOnThreads,
  trainOneClassSvm,
} from '@flowsentry/ml';
import { identitySpec } from '../../libs/ml/fixtures/scoring-data';

/**
 * The four models compared, with the parameters both sides use. LOF and the SVMs standardise columns
 * (sklearn: a StandardScaler in front); the forest does not need to. The exact methods train on a seeded
 * subsample of at most `cap` rows, the same rows on both sides (this file picks them and hands them to sklearn).
 */
export const SEED = 0;
export const NU = 0.1;
export const NYSTROEM_COMPONENTS = 200;
export const LOF_CAP = 10_000;
export const OCSVM_CAP = 5_000;

export interface TrainedModel {
  score(matrix: FeatureMatrix): { scoreSamples: Float64Array };
  onnx(): Uint8Array;
}

export interface AlgorithmSpec {
  /** Key shared with sklearn_compare.py. */
  readonly key: 'iforest' | 'lof' | 'ocsvm' | 'nystroem' | 'nystroem-farthest';
  readonly label: string;
  readonly sklearnLabel: string;
  /** The training rows this algorithm uses (a subsample for the exact O(n²) methods). */
  trainingRows(train: FeatureMatrix): FeatureMatrix;
  train(rows: FeatureMatrix): TrainedModel;
  /** Training on `threads` threads, where the algorithm has that option: the same model as `train`. */
  trainOnThreads?(rows: FeatureMatrix, threads: number): Promise<TrainedModel>;
}

const meta = { modelName: 'compare', modelVersion: '1' };
const LOF_OPTIONS = { nNeighbors: 20, scaling: 'standard', seed: SEED } as const;

function lofModel(model: LocalOutlierFactorModel, cols: number): TrainedModel {
  return { score: (m) => scoreLocalOutlierFactor(model, m), onnx: () => exportLocalOutlierFactorOnnx(model, identitySpec(cols), meta) };
}

export const ALGORITHMS: readonly AlgorithmSpec[] = [
  {
    key: 'iforest',
    label: 'Isolation Forest (100 trees, 256 samples)',
    sklearnLabel: 'IsolationForest',
    trainingRows: (train) => train,
    train(rows) {
      const model = trainIsolationForest(rows, { seed: SEED });
      return { score: (m) => referenceScore(model, m), onnx: () => exportOnnx(model, identitySpec(rows.cols), meta) };
    },
  },
  {
    key: 'lof',
    label: `LOF novelty (k 20, standardised, ≤ ${LOF_CAP.toLocaleString('en-US')} training rows)`,
    sklearnLabel: 'LocalOutlierFactor(novelty=True)',
    trainingRows: (train) => trainingSubsample(train, LOF_CAP, SEED),
    train(rows) {
      return lofModel(trainLocalOutlierFactor(rows, LOF_OPTIONS), rows.cols);
    },
    async trainOnThreads(rows, threads) {
      return lofModel(await trainLocalOutlierFactorOnThreads(rows, { ...LOF_OPTIONS, threads }), rows.cols);
    },
  },
  {
    key: 'ocsvm',
    label: `OC-SVM exact (RBF, ν ${NU}, γ scale, ≤ ${OCSVM_CAP.toLocaleString('en-US')} training rows)`,
    sklearnLabel: 'OneClassSVM',
    trainingRows: (train) => trainingSubsample(train, OCSVM_CAP, SEED),
    train(rows) {
      const model = trainOneClassSvm(rows, { nu: NU, scaling: 'standard', seed: SEED });
      return { score: (m) => scoreOneClassSvm(model, m), onnx: () => exportOneClassSvmOnnx(model, identitySpec(rows.cols), meta) };
    },
  },
  nystroem('uniform', `OC-SVM Nyström (${NYSTROEM_COMPONENTS} landmarks, all training rows)`),
  // The trainer's default; sklearn has no such option, so its column repeats its uniform Nystroem.
  nystroem('farthest-first', `OC-SVM Nyström, farthest-first landmarks (the trainer's default)`),
];

function nystroem(landmarks: 'uniform' | 'farthest-first', label: string): AlgorithmSpec {
  return {
    key: landmarks === 'uniform' ? 'nystroem' : 'nystroem-farthest',
    label,
    sklearnLabel: `Nystroem(${NYSTROEM_COMPONENTS}) + SGDOneClassSVM`,
    trainingRows: (train) => train,
    train(rows) {
      const model = trainOneClassSvm(rows, { nu: NU, scaling: 'standard', approximation: 'nystroem', nComponents: NYSTROEM_COMPONENTS, landmarks, seed: SEED });
      return { score: (m) => scoreOneClassSvm(model, m), onnx: () => exportOneClassSvmOnnx(model, identitySpec(rows.cols), meta) };
    },
  };
}
