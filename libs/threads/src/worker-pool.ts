import { existsSync } from 'node:fs';
import { parentPort, Worker } from 'node:worker_threads';

/** Posted by a worker once its modules have loaded (`signalReady`); the pool keeps it from the service's own messages. */
const READY = '@flowsentry/threads:ready';

/** A job a worker has in hand: failed with the pool's error if the worker is lost before it answers. */
export interface PendingJob {
  reject(error: Error): void;
}

/** One place in the pool: at most one worker at a time, and the jobs sent to it. */
export interface PoolSlot<J extends PendingJob> {
  /** Jobs posted to this slot's worker and not answered yet, by the id the service gave them. */
  readonly jobs: Map<number, J>;
}

export interface WorkerPoolOptions<J extends PendingJob> {
  /**
   * The worker's entry without extension: the built `.js` when there is one, else the `.ts` source
   * through tsx's CommonJS hook (jest and `node --import tsx` run from src, where tsx, a dev
   * dependency, is present).
   */
  entry: string;
  workerData: unknown;
  /** The error a lost worker fails its jobs with, from why it was lost. */
  lost: (why: string) => Error;
  /** What the workers are called in those reasons ("SILVER worker"). */
  name: string;
  /** Every message from a slot's worker but its ready signal. */
  onMessage: (slot: PoolSlot<J>, message: unknown, worker: Worker) => void;
}

interface Started {
  worker: Worker;
  /** Settles once the worker has loaded: resolved by its ready signal, rejected if it is lost first. */
  ready: Promise<void>;
}

/**
 * A fixed number of worker threads, each started on first use (or by `start`). A worker that
 * crashes or exits fails the jobs it held with `lost(why)` and its slot starts a fresh one for the
 * next job, so a caller never waits on a thread that is gone. Which slot takes a job is the
 * service's choice (`slots`): the least busy, or one that keeps a stream's state.
 */
export class WorkerPool<J extends PendingJob> {
  readonly slots: ReadonlyArray<PoolSlot<J>>;
  private readonly started = new Map<PoolSlot<J>, Started>();
  private closing = false;

  constructor(
    size: number,
    private readonly options: WorkerPoolOptions<J>,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be a positive integer, got ${size}`);
    this.slots = Array.from({ length: size }, () => ({ jobs: new Map<number, J>() }));
  }

  /** Starts every worker and resolves once each has loaded: a worker that cannot load fails here, not on a first job. */
  async start(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.startedOf(slot).ready));
  }

  /** Records `job` under `id` on `slot` and posts `message` to the slot's worker, started if it has none. */
  post(slot: PoolSlot<J>, id: number, job: J, message: unknown, transfer: ArrayBuffer[] = []): void {
    const { worker } = this.startedOf(slot);
    slot.jobs.set(id, job);
    worker.postMessage(message, transfer);
  }

  /** The job answered by a message, no longer pending (undefined if its worker was lost meanwhile). */
  settle(slot: PoolSlot<J>, id: number): J | undefined {
    const job = slot.jobs.get(id);
    slot.jobs.delete(id);
    return job;
  }

  /** True once `close` was called: a late answer has nobody to reach. */
  get isClosing(): boolean {
    return this.closing;
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.started.values()].map(({ worker }) => worker.terminate()));
  }

  private startedOf(slot: PoolSlot<J>): Started {
    const running = this.started.get(slot);
    if (running) return running;
    const { entry, workerData, name, lost, onMessage } = this.options;
    const worker = startWorker(entry, workerData);
    // An idle worker must not keep the process alive; a job in hand keeps its caller busy anyway.
    worker.unref();
    let loaded!: () => void;
    let failed!: (error: Error) => void;
    const ready = new Promise<void>((resolve, reject) => ((loaded = resolve), (failed = reject)));
    // Nobody may be waiting on it (a worker started by a job, not by start()).
    ready.catch(() => undefined);
    const started: Started = { worker, ready };
    worker.on('message', (message: unknown) => (message === READY ? loaded() : onMessage(slot, message, worker)));
    const gone = (why: string) => {
      if (this.started.get(slot) !== started) return;
      this.started.delete(slot);
      const error = lost(why);
      failed(error);
      for (const job of slot.jobs.values()) job.reject(error);
      slot.jobs.clear();
    };
    worker.on('error', (error) => gone(`${name} crashed: ${error.message}`));
    worker.on('exit', (code) => gone(this.closing ? `${name}s closed` : `${name} exited unexpectedly (code ${code})`));
    this.started.set(slot, started);
    return started;
  }
}

/** Called by a worker entry once it has loaded everything it needs, so `WorkerPool.start` can resolve. */
export function signalReady(): void {
  if (!parentPort) throw new Error('signalReady() runs in a worker thread started by a WorkerPool');
  parentPort.postMessage(READY);
}

/**
 * The parent's flags a worker gets: only profiling (--cpu-prof*, --heap-prof*), so that profiling a
 * service covers the threads doing its CPU work. Nothing else is inherited: a dev loader (tsx's
 * --import) only slows a worker's start, and the `.ts` entry registers tsx itself.
 */
export function workerExecArgv(parent: readonly string[] = process.execArgv): string[] {
  return parent.filter((flag) => /^--(cpu|heap)-prof(-|=|$)/.test(flag));
}

function startWorker(entry: string, workerData: unknown): Worker {
  const execArgv = workerExecArgv();
  if (existsSync(`${entry}.js`)) return new Worker(`${entry}.js`, { workerData, execArgv });
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(`${entry}.ts`)});`, { eval: true, workerData, execArgv });
}
