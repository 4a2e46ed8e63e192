import { InferenceSession, Tensor } from 'onnxruntime-node';
import { FeatureMatrix } from '../features/feature-matrix';
import { ONNX_INPUT, ONNX_OUTPUTS } from '../onnx/export-onnx';
import { OnnxModelMetadata, readOnnxMetadata } from '../onnx/onnx-metadata';
import { ForestScores, INLIER, OUTLIER } from './forest-scores';

export interface OnnxScorerOptions {
  /**
   * onnxruntime intra-op threads (default 1). The tree kernel parallelises over rows for large batches;
   * for single-row scoring more threads only add hand-off latency.
   */
  readonly threads?: number;
  /**
   * Let idle intra-op threads spin-wait for work (default false). Spinning wins a little on dedicated
   * cores but, on cores shared with consumers and GC, it made 2 threads slower than 1 in our bench.
   */
  readonly spinWait?: boolean;
}

/**
 * One onnxruntime CPU session per model, reused for every batch: creating a session parses and
 * optimises the whole ensemble, far more expensive than scoring a batch.
 */
export class OnnxScorer {
  private constructor(
    private readonly session: InferenceSession,
    readonly metadata: OnnxModelMetadata,
    readonly nFeatures: number,
  ) {}

  static async create(bytes: Uint8Array, options: OnnxScorerOptions = {}): Promise<OnnxScorer> {
    const threads = options.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
    const metadata = readOnnxMetadata(bytes);
    const session = await InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      extra: { session: { intra_op: { allow_spinning: options.spinWait ? '1' : '0' } } },
    });
    return new OnnxScorer(session, metadata, metadata.featureNames.length);
  }

  /**
   * Scores a batch. Labels are derived here from decision_function with the graph's own rule
   * (decision < 0 ⇒ −1), which saves fetching and converting the int64 label tensor.
   */
  async score(matrix: FeatureMatrix): Promise<ForestScores & { scoreSamples: Float32Array; decision: Float32Array }> {
    if (matrix.cols !== this.nFeatures) {
      throw new RangeError(`matrix has ${matrix.cols} columns, the model expects ${this.nFeatures}`);
    }
    if (matrix.rows === 0) return { scoreSamples: new Float32Array(0), decision: new Float32Array(0), labels: new Int8Array(0) };
    const input = new Tensor('float32', matrix.data, [matrix.rows, matrix.cols]);
    const results = await this.session.run({ [ONNX_INPUT]: input }, [ONNX_OUTPUTS.scoreSamples, ONNX_OUTPUTS.decision]);
    const scoreSamples = results[ONNX_OUTPUTS.scoreSamples].data as Float32Array;
    const decision = results[ONNX_OUTPUTS.decision].data as Float32Array;
    const labels = new Int8Array(matrix.rows);
    for (let i = 0; i < labels.length; i++) labels[i] = decision[i] < 0 ? OUTLIER : INLIER;
    return { scoreSamples, decision, labels };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}
