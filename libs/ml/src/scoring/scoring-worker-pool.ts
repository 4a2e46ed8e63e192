import { Transferable, Worker } from 'node:worker_threads';

export class ScoringWorkerError extends Error {
  override readonly name = 'ScoringWorkerError';
}

/** One message for one worker; the pool adds the request id the worker echoes back. */
export interface WorkerPart {
  readonly message: Record<string, unknown>;
  readonly transfer?: readonly Transferable[];
}

export interface ScoringWorkerPoolOptions {
  /** Worker entry: plain JS (under jest only the main thread's TypeScript is transformed). */
  readonly script: string;
  readonly workerData: unknown;
  readonly size: number;
  /** Names the scoring engine in errors, e.g. 'onnxruntime'. */
  readonly engine: string;
}

interface Pending {
  remaining: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

type WorkerMessage = { kind: 'ready' } | { kind: 'failed'; message: string } | { kind: 'scored'; id: number } | { kind: 'error'; id: number; message: string };

/**
 * Worker threads that each load the model once and then score the row ranges they are sent. The protocol
 * is the same for every engine: a worker answers its start with `ready` or `failed`, and each part with
 * `scored` or `error` carrying the part's id. The pool owns the parts of the lifecycle that are easy to
 * get wrong: a worker that dies fails the request in flight and every later one instead of leaving it
 * waiting forever, idle workers do not keep the process alive, and release terminates them all.
 */
export class ScoringWorkerPool {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private failure: Error | undefined;
  private released = false;

  private constructor(
    private readonly workers: readonly Worker[],
    private readonly engine: string,
  ) {
    for (const worker of workers) {
      worker.on('message', (message: WorkerMessage) => this.settle(message));
      worker.on('error', (error) => this.fail(new ScoringWorkerError(`scoring worker crashed: ${error.message}`)));
      worker.on('exit', (code) => {
        if (!this.released) this.fail(new ScoringWorkerError(`scoring worker exited unexpectedly (code ${code})`));
      });
    }
    this.idle();
  }

  /** Starts the workers and resolves once every one has loaded the model, or rejects with why one could not. */
  static async start(options: ScoringWorkerPoolOptions): Promise<ScoringWorkerPool> {
    const { script, workerData, size, engine } = options;
    // No inherited execArgv: the entries are plain JS that load what they need themselves (the LOF worker
    // registers tsx when it runs from src), and a dev loader inherited from `node --import tsx` tripled a
    // worker's start (~160 ms against ~50 ms), time the 2-thread LOF training waited on.
    const workers = Array.from({ length: size }, () => new Worker(script, { workerData, execArgv: [] }));
    const detach: (() => void)[] = [];
    const loaded = workers.map(
      (worker) =>
        new Promise<void>((resolve, reject) => {
          const onMessage = (message: WorkerMessage): void =>
            message.kind === 'ready'
              ? resolve()
              : reject(new ScoringWorkerError(`${engine} could not load the model in a scoring worker: ${message.kind === 'failed' ? message.message : message.kind}`));
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
    return new ScoringWorkerPool(workers, engine);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Sends part i to worker i (at most `size` parts) and resolves when every part is scored. */
  async run(parts: readonly WorkerPart[]): Promise<void> {
    if (this.released) throw new ScoringWorkerError('the scoring worker pool has been released');
    if (this.failure) throw this.failure;
    if (parts.length > this.workers.length) throw new RangeError(`${parts.length} parts for ${this.workers.length} workers`);
    if (parts.length === 0) return;
    const id = this.nextId++;
    const done = new Promise<void>((resolve, reject) => this.pending.set(id, { remaining: parts.length, resolve, reject }));
    if (this.pending.size === 1) this.busy();
    parts.forEach((part, w) => this.workers[w].postMessage({ ...part.message, id }, part.transfer));
    await done;
  }

  /**
   * Runs `parts` on the workers and `here` on the calling thread at the same time (the parts are posted
   * before `here` starts), and resolves with `here`'s result once both are done. A worker failure rejects
   * even while `here` is still running, without counting as an unhandled rejection meanwhile.
   */
  async runBeside<T>(parts: readonly WorkerPart[], here: () => T | Promise<T>): Promise<T> {
    const elsewhere = this.run(parts);
    elsewhere.catch(() => undefined);
    const result = await here();
    await elsewhere;
    return result;
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
      request.reject(new ScoringWorkerError(`${this.engine} failed in a scoring worker: ${message.message}`));
    } else if (--request.remaining === 0) {
      this.finish(message.id);
      request.resolve();
    }
  }

  /** A dead worker would leave its parts unanswered forever: fail every request now and every later one. */
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
