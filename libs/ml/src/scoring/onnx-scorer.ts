import { InferenceSession, Tensor } from 'onnxruntime-node';
import { FeatureMatrix } from '../features/feature-matrix';
import { ONNX_INPUT, ONNX_OUTPUTS } from '../onnx/export-onnx';
import { OnnxModelMetadata, readOnnxMetadata } from '../onnx/onnx-metadata';
import { ForestScores, INLIER, OUTLIER } from './forest-scores';

export interface OnnxScorerOptions {
  /**
   * onnxruntime intra-op threads for batches of at least `parallelFromRows` rows (default 1). Smaller
   * batches stay on the calling thread, where a hand-off to other threads costs more than it saves.
   */
  readonly threads?: number;
  /** Smallest batch worth spreading over `threads` (default 2,048 rows). */
  readonly parallelFromRows?: number;
  /**
   * Let idle intra-op threads spin-wait for work (default true when threads > 1). With more trees than
   * threads the tree kernel splits the TREES across threads and re-synchronises the pool every 128 rows
   * (TreeEnsembleCommon::ComputeAgg, parallel_tree_N_): ~800 hand-offs per 100,000 rows. Parked threads
   * must be woken for each, which made 2 threads slower than 1 (178k vs 198k rows/s on 2 quiet cores);
   * spinning threads pick the work up at once (335k rows/s). Turn off on cores shared with other
   * busy processes, where a spinning thread steals their time.
   */
  readonly spinWait?: boolean;
}

const DEFAULT_PARALLEL_FROM_ROWS = 2048;
const FETCHES = [ONNX_OUTPUTS.scoreSamples, ONNX_OUTPUTS.decision];

/**
 * onnxruntime CPU sessions for one model, reused for every batch: creating a session parses and
 * optimises the whole ensemble, far more expensive than scoring a batch. With threads > 1 there are
 * two sessions of the same graph: single-threaded for small batches, multi-threaded for large ones.
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
    const sessionWith = (intraOpNumThreads: number, spin: boolean): Promise<InferenceSession> =>
      InferenceSession.create(bytes, {
        executionProviders: ['cpu'],
        intraOpNumThreads,
        interOpNumThreads: 1,
        executionMode: 'sequential',
        graphOptimizationLevel: 'all',
        extra: { session: { intra_op: { allow_spinning: spin ? '1' : '0' } } },
      });
    const session = await sessionWith(1, false);
    const parallel = threads > 1 ? await sessionWith(threads, options.spinWait ?? true) : undefined;
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
