import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { FeatureMatrix } from '../features/feature-matrix';
import { ONNX_INPUT, ONNX_OUTPUTS } from '../onnx/export-onnx';

/** The worker entry is plain JS beside this module, in src under jest and tsx, in dist once built. */
const WORKER_SCRIPT = join(__dirname, 'scoring-worker.js');

export class ScoringWorkerError extends Error {
  override readonly name = 'ScoringWorkerError';
}

interface Pending {
  remaining: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

type WorkerMessage = { kind: 'ready' } | { kind: 'failed'; message: string } | { kind: 'scored'; id: number } | { kind: 'error'; id: number; message: string };

/**
 * One single-threaded onnxruntime session per worker thread, each scoring a contiguous slice of the
 * batch's rows. onnxruntime's own threading splits the TREES of one row block across threads and
 * re-synchronises every 128 rows; slicing by rows lets each thread run without waiting on the others,
 * and scoring off the JS thread leaves the event loop free while a large batch is scored.
 */
export class ScoringWorkerPool {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;
  private released = false;

  private constructor(private readonly workers: readonly Worker[]) {
    for (const worker of workers) {
      worker.on('message', (message: WorkerMessage) => this.settle(message));
      worker.on('error', (error) => this.fail(new ScoringWorkerError(`scoring worker crashed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (!this.released) this.fail(new ScoringWorkerError(`scoring worker exited unexpectedly (code ${code})`));
      });
    }
    this.idle();
  }

  /** Starts `size` workers and resolves once every one has loaded the model, or rejects with why one could not. */
  static async start(bytes: Uint8Array, size: number, script = WORKER_SCRIPT): Promise<ScoringWorkerPool> {
    const workerData = { bytes, input: ONNX_INPUT, outputs: [ONNX_OUTPUTS.scoreSamples, ONNX_OUTPUTS.decision] };
    const workers = Array.from({ length: size }, () => new Worker(script, { workerData }));
    const detach: (() => void)[] = [];
    const loaded = workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          const onMessage = (message: WorkerMessage): void =>
            message.kind === 'ready'
              ? resolve()
              : reject(new ScoringWorkerError(`onnxruntime could not load the model in a scoring worker: ${message.kind === 'failed' ? message.message : message.kind}`));
          const onError = (error: Error): void => reject(new ScoringWorkerError(`scoring worker crashed while loading the model: ${error.message}`));
          const onExit = (code: number): void => reject(new ScoringWorkerError(`scoring worker exited while loading the model (code ${code})`));
          worker.on('message', onMessage).on('error', onError).on('exit', onExit);
          // Only our own listeners: Worker keeps internal ones (port referencing) that must stay.
          detach.push(() => worker.off('message', onMessage).off('error', onError).off('exit', onExit));
        }),
    );
    try {
      await Promise.all(loaded);
    } catch (error) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      throw error;
    }
    for (const off of detach) off();
    return new ScoringWorkerPool(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * Scores the batch in `size` contiguous row slices at once. Each slice is copied once and transferred
   * to its worker (onnxruntime-node will not read a tensor over shared memory); workers write both outputs
   * into one shared buffer, copied back into ordinary arrays for the caller.
   */
  async score(matrix: FeatureMatrix): Promise<{ scoreSamples: Float32Array; decision: Float32Array }> {
    if (this.released) throw new ScoringWorkerError('the scoring worker pool has been released');
    if (this.failure) throw this.failure;
    const { rows, cols } = matrix;
    if (rows === 0) return { scoreSamples: new Float32Array(0), decision: new Float32Array(0) };
    const output = new SharedArrayBuffer(rows * 2 * 4);
    const slice = Math.ceil(rows / this.workers.length);
    const slices = Math.ceil(rows / slice);
    const id = this.nextId++;
    const done = new Promise<void>((resolve, reject) => this.pending.set(id, { remaining: slices, resolve, reject }));
    if (this.pending.size === 1) this.busy();
    for (let w = 0; w < slices; w++) {
      const from = w * slice;
      const to = Math.min(rows, from + slice);
      const input = matrix.data.slice(from * cols, to * cols).buffer;
      this.workers[w].postMessage({ id, input, output, rows, cols, from, to }, [input]);
    }
    await done;
    return { scoreSamples: new Float32Array(new Float32Array(output, 0, rows)), decision: new Float32Array(new Float32Array(output, rows * 4, rows)) };
  }

  /** Terminates every worker; requests still in flight reject. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.rejectAll(new ScoringWorkerError('the scoring worker pool was released while scoring'));
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private settle(message: WorkerMessage): void {
    if (message.kind !== 'scored' && message.kind !== 'error') return;
    const request = this.pending.get(message.id);
    if (!request) return;
    if (message.kind === 'error') {
      this.finish(message.id);
      request.reject(new ScoringWorkerError(`onnxruntime failed in a scoring worker: ${message.message}`));
    } else if (--request.remaining === 0) {
      this.finish(message.id);
      request.resolve();
    }
  }

  /** A dead worker would leave its slices unanswered forever: fail every request now and every later one. */
  private fail(error: Error): void {
    this.failure ??= error;
    this.rejectAll(error);
  }

  private rejectAll(error: Error): void {
    const requests = [...this.pending.values()];
    this.pending.clear();
    this.idle();
    for (const request of requests) request.reject(error);
  }

  private finish(id: number): void {
    this.pending.delete(id);
    if (this.pending.size === 0) this.idle();
  }

  // Idle workers must not keep the process alive (like an in-thread session, a forgotten pool should not
  // hang exit), but a worker with a request in flight must, or `await score()` could end with the process.
  private busy(): void {
    for (const worker of this.workers) worker.ref();
  }

  private idle(): void {
    for (const worker of this.workers) worker.unref();
  }
}
