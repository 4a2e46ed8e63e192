import { AnomalyAlgorithm, FeatureMatrix, featureMatrix, ForestKernelScorer } from '@flowsentry/ml';

/** What the two engines said about the same rows. */
export interface EngineAgreement {
  rows: number;
  /**
   * max |score_samples(onnxruntime) − score_samples(forest kernel)|; Infinity when the kernel could
   * not read the model; null when no second engine exists for the algorithm (see notApplicable).
   */
  maxAbsDiff: number | null;
  /** Why the comparison could not be made, when it could not. */
  error?: string;
  /** Why no second engine was compared: stated in the report and the gate, never skipped silently. */
  notApplicable?: string;
}

/**
 * The check for a model only onnxruntime scores here. The forest kernel is an independent reading of
 * trees; a LOF or SVM graph has no such second engine in the evaluator. Its graph is held to libs/ml's
 * float64 scorer when the export is built and tested (export-*-onnx.spec.ts), and the monitor scores it
 * with the same onnxruntime graph the evaluator judged, so what is judged is what serves.
 */
export function agreementNotApplicable(algorithm: Exclude<AnomalyAlgorithm, 'isolation-forest'>): EngineAgreement {
  return {
    rows: 0,
    maxAbsDiff: null,
    notApplicable: `the forest kernel reads isolation forests only; a ${algorithm} model is scored by onnxruntime alone, here and in the monitor, and its graph is checked against libs/ml's float64 scorer by the export's specs`,
  };
}

/** Anything that scores a matrix into sklearn's score_samples. */
export interface ScoreSamplesEngine {
  score(matrix: FeatureMatrix): Promise<{ scoreSamples: ArrayLike<number> }>;
}

/**
 * `count` rows spread evenly over the matrix (every n-th row), so the sample covers every held-out
 * dataset and time range, and the same rows are drawn on every run.
 */
export function evenSample(matrix: FeatureMatrix, count: number): FeatureMatrix {
  if (matrix.rows <= count) return matrix;
  const data = new Float32Array(count * matrix.cols);
  for (let i = 0; i < count; i++) {
    const row = Math.floor((i * matrix.rows) / count);
    data.set(matrix.data.subarray(row * matrix.cols, (row + 1) * matrix.cols), i * matrix.cols);
  }
  return featureMatrix(data, matrix.cols);
}

/**
 * Scores the sample with onnxruntime (what serves the model) and with the forest kernel compiled
 * from the same bytes (an independent reading of the same trees), and reports the largest
 * difference. Two engines agreeing is evidence that the exported graph means what the trainer
 * meant; disagreement rejects the model. `timed` reports each engine's time for the metrics.
 */
export async function engineAgreement(
  onnx: ScoreSamplesEngine,
  modelBytes: Uint8Array,
  algorithm: AnomalyAlgorithm,
  sample: FeatureMatrix,
  timed: (engine: 'onnxruntime' | 'forest-kernel', rows: number, seconds: number) => void,
  createKernel: (bytes: Uint8Array) => Promise<ScoreSamplesEngine & { release(): Promise<void> }> = (bytes) => ForestKernelScorer.create(bytes),
): Promise<EngineAgreement> {
  if (algorithm !== 'isolation-forest') return agreementNotApplicable(algorithm);
  let kernel;
  try {
    kernel = await createKernel(modelBytes);
  } catch (err) {
    return { rows: sample.rows, maxAbsDiff: Infinity, error: `the forest kernel cannot read the model: ${(err as Error).message}` };
  }
  try {
    const fromOnnx = await time('onnxruntime', sample.rows, timed, () => onnx.score(sample));
    const fromKernel = await time('forest-kernel', sample.rows, timed, () => kernel.score(sample));
    let maxAbsDiff = 0;
    for (let i = 0; i < sample.rows; i++) {
      const diff = Math.abs(fromOnnx.scoreSamples[i]! - fromKernel.scoreSamples[i]!);
      // NaN compares false: a NaN on either side must count as disagreement, not be skipped.
      if (!(diff <= maxAbsDiff)) maxAbsDiff = Number.isNaN(diff) ? Infinity : diff;
    }
    return { rows: sample.rows, maxAbsDiff };
  } finally {
    await kernel.release();
  }
}

async function time<T>(engine: 'onnxruntime' | 'forest-kernel', rows: number, timed: (engine: 'onnxruntime' | 'forest-kernel', rows: number, seconds: number) => void, run: () => Promise<T>): Promise<T> {
  const started = process.hrtime.bigint();
  const result = await run();
  timed(engine, rows, Number(process.hrtime.bigint() - started) / 1e9);
  return result;
}
