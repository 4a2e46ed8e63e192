import { join } from 'node:path';
import { FeatureMatrix } from '../features/feature-matrix';
import { OnnxModelMetadata } from '../onnx/onnx-metadata';
import { ForestScores, INLIER, OUTLIER } from './forest-scores';
import { ForestKernel } from './kernel/forest-kernel';
import { KERNEL_EXPORT, KERNEL_MEMORY } from './kernel/forest-kernel-module';
import { perfectForestFromOnnx } from './kernel/perfect-forest';
import { ScoringWorkerPool } from './scoring-worker-pool';
import { resolveThreading, rowShares, ScoringThreadOptions } from './scoring-threads';

/** Threads split each block of rows (not the whole batch), so `parallelFromRows` applies per block. */
export interface ForestKernelScorerOptions extends ScoringThreadOptions {
  /** Rows copied into the kernel's memory per pass (default: as many as fit 8 MiB, at most 65,536): bounds memory for any batch size. */
  readonly blockRows?: number;
}

const DEFAULT_BLOCK_BYTES = 8 * 1024 * 1024;
const MAX_DEFAULT_BLOCK_ROWS = 65_536;
/** The worker entry is plain JS beside the kernel, in src under jest and tsx, in dist once built. */
const WORKER_SCRIPT = join(__dirname, 'kernel', 'kernel-scoring-worker.js');

/**
 * Scores an exported model with a WebAssembly kernel compiled from the model's own ONNX tree ensemble:
 * every tree padded to one depth and walked without data-dependent branches, eight rows at a time.
 * onnxruntime walks one row through one tree at a time, each step waiting on the last; on the 2-core
 * bench machine the kernel scores about 3× more rows per second per thread (bench/ml). Routing is
 * identical to onnxruntime's (same float32 comparisons, NaN to the false branch) and the arithmetic after
 * the walk is float64, so scores match OnnxScorer within float32 rounding (checked by tests).
 */
export class ForestKernelScorer {
  // One block of memory serves every call: calls run one after another.
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly kernel: ForestKernel,
    private readonly pool: ScoringWorkerPool | undefined,
    private readonly parallelFromRows: number,
  ) {}

  /** `workerScript` replaces the worker entry, for tests that need a worker to misbehave. */
  static async create(bytes: Uint8Array, options: ForestKernelScorerOptions = {}, workerScript = WORKER_SCRIPT): Promise<ForestKernelScorer> {
    const { threads, parallelFromRows } = resolveThreading(options);
    const forest = perfectForestFromOnnx(bytes);
    const blockRows = options.blockRows ?? Math.max(1, Math.min(MAX_DEFAULT_BLOCK_ROWS, Math.floor(DEFAULT_BLOCK_BYTES / (forest.nFeatures * 4))));
    const kernel = ForestKernel.create(forest, blockRows);
    const pool =
      threads > 1
        ? await ScoringWorkerPool.start({
            script: workerScript,
            workerData: { module: kernel.module, memory: kernel.memory, memoryImport: KERNEL_MEMORY, exportName: KERNEL_EXPORT },
            size: threads - 1,
            engine: 'the forest kernel',
          })
        : undefined;
    return new ForestKernelScorer(kernel, pool, parallelFromRows);
  }

  get metadata(): OnnxModelMetadata {
    return this.kernel.forest.metadata;
  }

  get nFeatures(): number {
    return this.kernel.forest.nFeatures;
  }

  async score(matrix: FeatureMatrix): Promise<ForestScores & { scoreSamples: Float64Array; decision: Float64Array }> {
    if (matrix.cols !== this.nFeatures) {
      throw new RangeError(`matrix has ${matrix.cols} columns, the model expects ${this.nFeatures}`);
    }
    const run = this.queue.then(() => this.scoreNow(matrix));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Terminates the worker threads; the kernel's memory goes with the last reference to this scorer. */
  async release(): Promise<void> {
    await this.pool?.release();
  }

  private async scoreNow(matrix: FeatureMatrix): Promise<ForestScores & { scoreSamples: Float64Array; decision: Float64Array }> {
    const { rows, cols } = matrix;
    const { trees, exponentScale, offset } = this.kernel.forest;
    const scoreSamples = new Float64Array(rows);
    const decision = new Float64Array(rows);
    const labels = new Int8Array(rows);
    for (let start = 0; start < rows; start += this.kernel.blockRows) {
      const count = Math.min(this.kernel.blockRows, rows - start);
      this.kernel.load(matrix.data.subarray(start * cols), count);
      if (this.pool && count >= this.parallelFromRows) await this.walkSplit(count, this.pool);
      else this.kernel.walk(0, count);
      // The graph's tail, as exportOnnx writes it: −exp(mean path length × exponent_scale), minus offset.
      const sums = this.kernel.sums(count);
      for (let i = 0; i < count; i++) {
        const score = -Math.exp((sums[i] / trees) * exponentScale);
        scoreSamples[start + i] = score;
        decision[start + i] = score - offset;
        labels[start + i] = decision[start + i] < 0 ? OUTLIER : INLIER;
      }
    }
    return { scoreSamples, decision, labels };
  }

  /** Workers walk the leading rows of the block while this thread walks the last share. */
  private async walkSplit(count: number, pool: ScoringWorkerPool): Promise<void> {
    const shares = rowShares(count, pool.size);
    const parts = shares.workers.map(({ from, to }) => ({ message: { args: this.kernel.args(from, to) } }));
    await pool.runBeside(parts, () => this.kernel.walk(shares.here, count));
  }
}
