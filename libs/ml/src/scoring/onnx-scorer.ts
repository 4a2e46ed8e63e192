import { join } from 'node:path';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { FeatureMatrix } from '../features/feature-matrix';
import { ONNX_INPUT, ONNX_OUTPUTS } from '../onnx/export-onnx';
import { OnnxMetadataError, OnnxModelMetadata, readOnnxMetadata } from '../onnx/onnx-metadata';
import { ForestScores, INLIER, OUTLIER } from './forest-scores';
import { ScoringWorkerPool } from './scoring-worker-pool';
import { resolveThreading, rowShares, ScoringThreadOptions } from './scoring-threads';
import { onnxParallelFromRows } from './sliced-scoring';

/** Each thread, the calling one and every worker, runs its own single-threaded session. */
export type OnnxScorerOptions = ScoringThreadOptions;

const FETCHES = [ONNX_OUTPUTS.scoreSamples, ONNX_OUTPUTS.decision];
/** The worker entry is plain JS beside this module, in src under jest and tsx, in dist once built. */
const WORKER_SCRIPT = join(__dirname, 'onnx-scoring-worker.js');
/** Every session, in this thread or a worker: one thread and no spinning, since parallelism comes from splitting rows. */
const SESSION_OPTIONS: InferenceSession.SessionOptions = {
  executionProviders: ['cpu'],
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  graphOptimizationLevel: 'all',
  extra: { session: { intra_op: { allow_spinning: '0' } } },
};

/**
 * onnxruntime CPU sessions for one model, reused for every batch: creating a session parses and
 * optimises the whole ensemble, far more expensive than scoring a batch. Small batches run on one
 * single-threaded session in the calling thread. With threads > 1, large batches go to a pool of worker
 * threads split by ROWS: onnxruntime's intra-op threading splits the trees instead and re-synchronises
 * its threads every 128 rows (TreeEnsembleCommon::ComputeAgg), ~800 hand-offs per 100,000 rows, which
 * capped 2 threads at ~1.6× one thread even with spinning; row slices need one hand-off per batch.
 */
export class OnnxScorer {
  private constructor(
    private readonly session: InferenceSession,
    private readonly pool: ScoringWorkerPool | undefined,
    private readonly parallelFromRows: number,
    readonly metadata: OnnxModelMetadata,
    readonly nFeatures: number,
  ) {}

  /** `workerScript` replaces the worker entry, for tests that need a worker to misbehave. */
  static async create(bytes: Uint8Array, options: OnnxScorerOptions = {}, workerScript = WORKER_SCRIPT): Promise<OnnxScorer> {
    const metadata = metadataOf(bytes);
    const { threads, parallelFromRows } = resolveThreading({ ...options, parallelFromRows: options.parallelFromRows ?? onnxParallelFromRows(metadata) });
    let session: InferenceSession;
    try {
      session = await InferenceSession.create(bytes, SESSION_OPTIONS);
    } catch (error) {
      throw new OnnxScorerError(`onnxruntime could not load the model: ${error instanceof Error ? error.message : String(error)}`);
    }
    let pool: ScoringWorkerPool | undefined;
    try {
      // The calling thread scores one slice itself, so `threads` cores need only `threads - 1` workers.
      pool =
        threads > 1
          ? await ScoringWorkerPool.start({ script: workerScript, workerData: { bytes, sessionOptions: SESSION_OPTIONS, input: ONNX_INPUT, outputs: FETCHES }, size: threads - 1, engine: 'onnxruntime' })
          : undefined;
    } catch (error) {
      await session.release();
      throw error;
    }
    return new OnnxScorer(session, pool, parallelFromRows, metadata, metadata.featureNames.length);
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
    const { scoreSamples, decision } = this.pool && matrix.rows >= this.parallelFromRows ? await this.scoreSplit(matrix, this.pool) : await this.scoreHere(matrix);
    const labels = new Int8Array(matrix.rows);
    for (let i = 0; i < labels.length; i++) labels[i] = decision[i] < 0 ? OUTLIER : INLIER;
    return { scoreSamples, decision, labels };
  }

  /** Releases the in-thread session and terminates the worker threads. */
  async release(): Promise<void> {
    await this.session.release();
    await this.pool?.release();
  }

  /**
   * Workers take the leading rows while this thread scores the last share itself (the slices are posted
   * before this thread's synchronous run starts). Each worker slice is copied once and transferred
   * (onnxruntime-node will not read a tensor over shared memory); workers write both outputs into one
   * shared buffer, laid out as all scoreSamples then all decisions.
   */
  private async scoreSplit(matrix: FeatureMatrix, pool: ScoringWorkerPool): Promise<{ scoreSamples: Float32Array; decision: Float32Array }> {
    const { rows, cols } = matrix;
    const shares = rowShares(rows, pool.size);
    const headRows = shares.here;
    const output = new SharedArrayBuffer(headRows * 2 * 4);
    const parts = shares.workers.map(({ from, to }) => {
      const input = matrix.data.slice(from * cols, to * cols).buffer;
      return { message: { input, output, rows: headRows, cols, from, to }, transfer: [input] };
    });
    const tail = await pool.runBeside(parts, () => this.scoreHere({ data: matrix.data.slice(headRows * cols), rows: rows - headRows, cols }));
    const join = (headPart: Float32Array, tailPart: Float32Array) => {
      const out = new Float32Array(rows);
      out.set(headPart);
      out.set(tailPart, headRows);
      return out;
    };
    return { scoreSamples: join(new Float32Array(output, 0, headRows), tail.scoreSamples), decision: join(new Float32Array(output, headRows * 4, headRows), tail.decision) };
  }

  private async scoreHere(matrix: FeatureMatrix): Promise<{ scoreSamples: Float32Array; decision: Float32Array }> {
    // The tensor wraps the caller's buffer: onnxruntime-node reads it in place, no copy on the way in.
    const input = new Tensor('float32', matrix.data, [matrix.rows, matrix.cols]);
    const results = await this.session.run({ [ONNX_INPUT]: input }, FETCHES);
    return { scoreSamples: results[ONNX_OUTPUTS.scoreSamples].data as Float32Array, decision: results[ONNX_OUTPUTS.decision].data as Float32Array };
  }
}

/** protobufjs reports truncated or foreign bytes as e.g. 'index out of range: 3 + 10 > 3'; say what that means. */
function metadataOf(bytes: Uint8Array): OnnxModelMetadata {
  try {
    return readOnnxMetadata(bytes);
  } catch (error) {
    if (error instanceof OnnxMetadataError) throw error;
    throw new OnnxScorerError(`model bytes are not a readable ONNX model (${bytes.length} bytes): ${error instanceof Error ? error.message : String(error)}`);
  }
}

export class OnnxScorerError extends Error {
  override readonly name = 'OnnxScorerError';
}
