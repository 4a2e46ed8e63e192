import {
  AnomalyAlgorithm,
  exportLocalOutlierFactorOnnx,
  exportOneClassSvmOnnx,
  exportOnnx,
  FeatureMatrix,
  percentile,
  scoreLocalOutlierFactor,
  scoreOneClassSvm,
  trainIsolationForest,
  trainLocalOutlierFactor,
  trainOneClassSvm,
} from '@flowsentry/ml';

type Spec = Parameters<typeof exportOnnx>[1];
type Metadata = Parameters<typeof exportOnnx>[2];

/** A model of any algorithm as the evaluator's and monitor's fixtures store it. */
export interface FittedDetector {
  params: object;
  /** decision_function = score_samples − offset; the alert threshold is −offset. */
  offset: number;
  exportOnnx(spec: Spec, metadata: Metadata): Uint8Array;
}

export interface DetectorFixtureOptions {
  alertRate: number;
  seed: number;
  trees: number;
  /** LOF: training rows kept. */
  lofRows: number;
  /** SVM: Nyström landmarks. */
  svmComponents: number;
}

/**
 * Fits `algorithm` the way the trainer does, small: LOF and the SVM standardised on a subsample, and
 * every algorithm's offset at the alert-rate quantile of the training rows' score_samples. The
 * trainer takes that quantile from onnxruntime's scores; tests take it from libs/ml's float64 scorers,
 * which agree with the graph within 1e-5 (the export specs), far inside what these fixtures judge.
 */
export function fitDetector(matrix: FeatureMatrix, algorithm: AnomalyAlgorithm, options: DetectorFixtureOptions): FittedDetector {
  const { alertRate, seed } = options;
  const calibrated = (scores: Float64Array) => percentile(scores, 100 * alertRate);
  switch (algorithm) {
    case 'isolation-forest': {
      const forest = trainIsolationForest(matrix, { nEstimators: options.trees, maxSamples: 256, contamination: alertRate, seed });
      return { params: forest.params, offset: forest.offset, exportOnnx: (spec, meta) => exportOnnx(forest, spec, meta) };
    }
    case 'local-outlier-factor': {
      const trained = trainLocalOutlierFactor(matrix, { nNeighbors: 20, contamination: alertRate, maxSamples: options.lofRows, scaling: 'standard', seed });
      const model = { ...trained, offset: calibrated(scoreLocalOutlierFactor(trained, matrix).scoreSamples) };
      return { params: model.params, offset: model.offset, exportOnnx: (spec, meta) => exportLocalOutlierFactorOnnx(model, spec, meta) };
    }
    case 'one-class-svm': {
      const trained = trainOneClassSvm(matrix, { nu: 0.1, approximation: 'nystroem', nComponents: options.svmComponents, scaling: 'standard', seed });
      const offset = calibrated(scoreOneClassSvm(trained, matrix).scoreSamples);
      const model = { ...trained, rho: offset, offset };
      return { params: model.params, offset, exportOnnx: (spec, meta) => exportOneClassSvmOnnx(model, spec, meta) };
    }
  }
}
