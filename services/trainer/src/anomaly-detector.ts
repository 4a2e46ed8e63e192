import {
  AnomalyAlgorithm,
  exportLocalOutlierFactorOnnx,
  exportOneClassSvmOnnx,
  exportOnnx,
  FeatureMatrix,
  featureMatrix,
  FeatureSpec,
  LandmarkSelection,
  scoreInSlices,
  OnnxExportMetadata,
  OnnxScorer,
  onnxSliceRows,
  percentile,
  trainIsolationForest,
  trainLocalOutlierFactor,
  trainOneClassSvm,
} from '@flowsentry/ml';

/** Which detector, with its own knobs (TRAINER_ALGORITHM and the settings named after it). */
export type AlgorithmSettings =
  | { name: 'isolation-forest'; trees: number; maxSamples: number }
  | { name: 'local-outlier-factor'; neighbors: number; maxRows: number }
  | { name: 'one-class-svm'; nu: number; gamma: 'scale' | number; solver: 'exact' | 'nystroem'; maxRows: number; components: number; landmarks: LandmarkSelection };

/** What every algorithm shares: the seed, and the share of training rows the threshold lets through. */
export interface DetectorSettings {
  seed: number;
  alertRate: number;
}

/** A fitted model of any algorithm, as packaging needs it. */
export interface AnomalyDetector {
  algorithm: AnomalyAlgorithm;
  /** Parameters as resolved against the training rows (what was used, not what was asked for). */
  params: Record<string, string | number | boolean | null>;
  /** decision_function = score_samples − offset: the alert-rate quantile of the training rows' score_samples. */
  offset: number;
  exportOnnx(spec: FeatureSpec, metadata: OnnxExportMetadata): Uint8Array;
}

/**
 * Fits the configured detector on the encoded training rows. Deterministic in the rows and the
 * settings: every subsample is drawn with the seed, and nothing reads a clock.
 *
 * The threshold follows one rule for every algorithm: the offset is the alertRate quantile of
 * score_samples over every training row, so ONNX decision_function < 0 flags that share of them.
 * The forest does this itself (sklearn's contamination). LOF and the SVM are fitted on a subsample,
 * and sklearn would calibrate them on that subsample only (LOF on its leave-one-out scores, the SVM
 * not at all: its offset is rho, set by ν), so their offset is recomputed here over all training
 * rows, scored as the served model scores them: by onnxruntime on the exported graph (score_samples
 * does not depend on the offset, so the graph is exported once to score and once with the result).
 * onnxruntime rather than libs/ml's float64 scorer: LOF's TypeScript neighbour search manages a few
 * hundred rows a second on 38 standardised columns, its graph thousands.
 */
export async function fitDetector(
  matrix: FeatureMatrix,
  spec: FeatureSpec,
  algorithm: AlgorithmSettings,
  settings: DetectorSettings,
  heartbeat?: () => Promise<void>,
): Promise<AnomalyDetector> {
  const { seed, alertRate } = settings;
  switch (algorithm.name) {
    case 'isolation-forest': {
      const forest = trainIsolationForest(matrix, { nEstimators: algorithm.trees, maxSamples: algorithm.maxSamples, contamination: alertRate, seed });
      return { algorithm: 'isolation-forest', params: { ...forest.params }, offset: forest.offset, exportOnnx: (spec, metadata) => exportOnnx(forest, spec, metadata) };
    }
    case 'local-outlier-factor': {
      // Standardised: on raw columns ports (0–65535) would decide every distance (docs/ALGORITHMS.md).
      const fitted = trainLocalOutlierFactor(matrix, { nNeighbors: algorithm.neighbors, contamination: alertRate, maxSamples: algorithm.maxRows, scaling: 'standard', seed });
      await heartbeat?.();
      const offset = await servedOffset(exportLocalOutlierFactorOnnx(fitted, spec, CALIBRATION), matrix, alertRate, heartbeat);
      const model = { ...fitted, offset };
      return { algorithm: model.algorithm, params: { ...model.params }, offset, exportOnnx: (spec, metadata) => exportLocalOutlierFactorOnnx(model, spec, metadata) };
    }
    case 'one-class-svm': {
      const fitted = trainOneClassSvm(matrix, {
        nu: algorithm.nu,
        gamma: algorithm.gamma,
        approximation: algorithm.solver,
        nComponents: algorithm.components,
        landmarks: algorithm.landmarks,
        maxSamples: algorithm.maxRows,
        scaling: 'standard',
        seed,
      });
      await heartbeat?.();
      const offset = await servedOffset(exportOneClassSvmOnnx(fitted, spec, CALIBRATION), matrix, alertRate, heartbeat);
      // score_samples does not depend on rho; the float64 scorer subtracts rho and the graph subtracts offset, so both move.
      const model = { ...fitted, rho: offset, offset };
      return { algorithm: model.algorithm, params: { ...model.params }, offset, exportOnnx: (spec, metadata) => exportOneClassSvmOnnx(model, spec, metadata) };
    }
  }
}

/** The graph scored for the offset is never stored: its name says so should it ever show up in a log. */
const CALIBRATION: OnnxExportMetadata = { modelName: 'calibration', modelVersion: '0' };

/** Rows scored between two heartbeats: about a second of a LOF of 10,000 kept rows. */
const CALIBRATION_CHUNK_ROWS = 5_000;

/** The alertRate quantile of every row's score_samples (the forest's percentile rule), as onnxruntime scores the graph. */
async function servedOffset(onnx: Uint8Array, matrix: FeatureMatrix, alertRate: number, heartbeat?: () => Promise<void>): Promise<number> {
  const scorer = await OnnxScorer.create(onnx);
  try {
    const sliceRows = onnxSliceRows(scorer.metadata);
    const scores = new Float64Array(matrix.rows);
    for (let first = 0; first < matrix.rows; first += CALIBRATION_CHUNK_ROWS) {
      const last = Math.min(matrix.rows, first + CALIBRATION_CHUNK_ROWS);
      const chunk = featureMatrix(matrix.data.slice(first * matrix.cols, last * matrix.cols), matrix.cols);
      scores.set((await scoreInSlices(scorer, chunk, sliceRows)).scoreSamples, first);
      await heartbeat?.();
    }
    return percentile(scores, 100 * alertRate);
  } finally {
    await scorer.release();
  }
}
