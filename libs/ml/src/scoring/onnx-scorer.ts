import { InferenceSession, Tensor } from 'onnxruntime-node';
import { FeatureMatrix } from '../features/feature-matrix';
import { ONNX_INPUT, ONNX_OUTPUTS } from '../onnx/export-onnx';
import { OnnxModelMetadata, readOnnxMetadata } from '../onnx/onnx-metadata';
import { ForestScores, INLIER, OUTLIER } from './forest-scores';
import { rowPartitionedModel } from './row-partitioned-model';

export interface OnnxScorerOptions {
  /**
   * Cores a large batch is spread over (default 1). Batches of at least `parallelFromRows` rows are cut
   * into `threads` row slices scored concurrently (see rowPartitionedModel); smaller ones stay on the
   * calling thread, where a hand-off to other threads would cost more than it saves.
   */
  readonly threads?: number;
  /** Smallest batch worth splitting across threads (default 2,048 rows). */
  readonly parallelFromRows?: number;
  /**
   * Let idle onnxruntime threads spin-wait for work (default false). Spinning burns a core between
   * batches; on cores shared with consumers and GC it slowed scoring down in our bench.
   */
  readonly spinWait?: boolean;
}

const DEFAULT_PARALLEL_FROM_ROWS = 2048;
const FETCHES = [ONNX_OUTPUTS.scoreSamples, ONNX_OUTPUTS.decision];

/**
 * onnxruntime CPU sessions for one model, reused for every batch: creating a session parses and
 * optimises the whole ensemble, far more expensive than scoring a batch. With threads > 1 there are
 * two: the exported graph for small batches, and its row-partitioned form for large ones.
 */
export class OnnxScorer {
  private constructor(
    private readonly session: InferenceSession,
    private readonly parallel: InferenceSession | undefined,
    private readonly parallelFromRows: number,
    readonly metadata: OnnxModelMetadata,
    readonly nFeatures: number,
  ) {}

  static async create(bytes: Uint8Array, options: OnnxScorerOptions = {}): Promise<OnnxScorer> {
    const threads = options.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
    const parallelFromRows = options.parallelFromRows ?? DEFAULT_PARALLEL_FROM_ROWS;
    if (!(parallelFromRows >= 1)) throw new RangeError(`parallelFromRows must be ≥ 1, got ${parallelFromRows}`);
    const metadata = readOnnxMetadata(bytes);
    const spin = options.spinWait ? '1' : '0';
    // One intra-op thread everywhere: the tree kernel's own multi-threading splits trees, not rows, and
    // re-synchronises every 128 rows (see rowPartitionedModel), which scaled worse than row slices.
    const session = await InferenceSession.create(bytes, {
      executionProviders: ['cpu'],
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      extra: { session: { intra_op: { allow_spinning: spin } } },
    });
    const parallel =
      threads > 1
        ? await InferenceSession.create(rowPartitionedModel(bytes, threads), {
            executionProviders: ['cpu'],
            intraOpNumThreads: 1,
            // The parallel executor only waits on the calling thread and runs nodes on inter-op workers;
            // a pool of N threads has N − 1 workers, so one slice per core needs threads + 1.
            interOpNumThreads: threads + 1,
            executionMode: 'parallel',
            graphOptimizationLevel: 'all',
            extra: { session: { intra_op: { allow_spinning: spin }, inter_op: { allow_spinning: spin } } },
          })
        : undefined;
    return new OnnxScorer(session, parallel, parallelFromRows, metadata, metadata.featureNames.length);
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
    const session = this.parallel && matrix.rows >= this.parallelFromRows ? this.parallel : this.session;
    // The tensor wraps the caller's buffer: onnxruntime-node reads it in place, no copy on the way in.
    const input = new Tensor('float32', matrix.data, [matrix.rows, matrix.cols]);
    const results = await session.run({ [ONNX_INPUT]: input }, FETCHES);
    const scoreSamples = results[ONNX_OUTPUTS.scoreSamples].data as Float32Array;
    const decision = results[ONNX_OUTPUTS.decision].data as Float32Array;
    const labels = new Int8Array(matrix.rows);
    for (let i = 0; i < labels.length; i++) labels[i] = decision[i] < 0 ? OUTLIER : INLIER;
    return { scoreSamples, decision, labels };
  }

  async release(): Promise<void> {
    await this.session.release();
    await this.parallel?.release();
  }
}
