import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { RawLandedData, rawLandedKey } from '@flowsentry/contracts';
import { ObjectRef } from '@flowsentry/storage';
import { SilverBatch, SilverBuild, SilverInputs, SilverSettings } from '../silver-builder';
import { asBuffer, FromWorker, fromWire, SilverWorkerData, toWire, ToWorker } from './silver-worker-protocol';

/** A worker's end, retriable: the step runtime tries the batch again, on a fresh worker that rebuilds the stream's state. */
export class SilverWorkerError extends Error {
  override readonly name = 'SilverWorkerError';
}

interface StartedWorker {
  thread: Worker;
  /** Settles once the worker has loaded its modules: resolved by its `ready`, rejected if it dies first. */
  ready: Promise<void>;
}

interface Job {
  resolve: (batch: SilverBatch) => void;
  reject: (error: Error) => void;
  heartbeat: () => Promise<void>;
}

interface Slot {
  worker?: StartedWorker;
  jobs: Map<number, Job>;
  streams: number;
}

/**
 * Builds SILVER batches on worker threads, so that one instance parses, computes features and
 * encodes several streams at once instead of on its one JavaScript thread. Each stream sticks to
 * one worker, which keeps that stream's window and de-duplication state between batches exactly
 * as a SilverBuilder in this thread would (same code, same bytes). The main thread keeps the I/O:
 * it answers the workers' reads from MinIO and PostgreSQL and beats the consumer's heartbeat. A
 * worker that dies fails the batches it held with a retriable error and is replaced on next use;
 * its streams' state is rebuilt from the database, as after any restart.
 */
export class SilverWorkers implements SilverBuild {
  private readonly slots: Slot[];
  private readonly streamSlots = new Map<string, Slot>();
  private lastJob = 0;
  private closing = false;

  constructor(
    size: number,
    private readonly inputs: SilverInputs,
    private readonly settings: SilverSettings,
    /** The worker entry without extension: built JS when present, else the TypeScript source (jest, tsx). */
    private readonly entry = join(__dirname, 'silver-worker'),
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`size must be a positive integer, got ${size}`);
    this.slots = Array.from({ length: size }, () => ({ jobs: new Map(), streams: 0 }));
  }

  /** Starts every worker and resolves once each has loaded, so the first batches do not wait for a thread's start. */
  async start(): Promise<void> {
    await Promise.all(this.slots.map((slot) => this.workerOf(slot).ready));
  }

  build(raw: RawLandedData, heartbeat: () => Promise<void>, follows?: string): Promise<SilverBatch> {
    const slot = this.slotOf(rawLandedKey(raw.source.topic, raw.source.partition));
    const worker = this.workerOf(slot).thread;
    const job = ++this.lastJob;
    return new Promise<SilverBatch>((resolve, reject) => {
      slot.jobs.set(job, { resolve, reject, heartbeat });
      worker.postMessage({ kind: 'build', job, raw, follows } satisfies ToWorker);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((slot) => slot.worker?.thread.terminate()));
  }

  /** Nest's bootstrap hook: a worker that cannot load fails the start, not the first batch. */
  onApplicationBootstrap(): Promise<void> {
    return this.start();
  }

  /** Nest's last shutdown hook: the consumer has stopped (beforeApplicationShutdown), so no batch is in hand. */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  /** A stream's worker: the one it had, else the one holding the fewest streams. */
  private slotOf(stream: string): Slot {
    let slot = this.streamSlots.get(stream);
    if (!slot) {
      slot = this.slots.reduce((best, s) => (s.streams < best.streams ? s : best));
      slot.streams++;
      this.streamSlots.set(stream, slot);
    }
    return slot;
  }

  private workerOf(slot: Slot): StartedWorker {
    if (slot.worker) return slot.worker;
    const thread = startWorker(this.entry, { settings: this.settings } satisfies SilverWorkerData);
    // An idle worker must not keep the process alive; a batch in hand keeps the consumer busy anyway.
    thread.unref();
    let loaded!: () => void;
    let failed!: (error: Error) => void;
    const ready = new Promise<void>((resolve, reject) => ((loaded = resolve), (failed = reject)));
    // Nobody may be waiting on it (a worker started by a batch, not by start()).
    ready.catch(() => undefined);
    const worker: StartedWorker = { thread, ready };
    thread.on('message', (message: FromWorker) => (message.kind === 'ready' ? loaded() : this.onMessage(slot, thread, message)));
    const lost = (why: string) => {
      if (slot.worker !== worker) return;
      slot.worker = undefined;
      const error = new SilverWorkerError(why);
      failed(error);
      for (const job of slot.jobs.values()) job.reject(error);
      slot.jobs.clear();
    };
    thread.on('error', (error) => lost(`SILVER worker crashed: ${error.message}`));
    thread.on('exit', (code) => lost(this.closing ? 'SILVER workers closed' : `SILVER worker exited unexpectedly (code ${code})`));
    slot.worker = worker;
    return worker;
  }

  private onMessage(slot: Slot, worker: Worker, message: Exclude<FromWorker, { kind: 'ready' }>): void {
    if (message.kind === 'call') {
      void this.answer(worker, message, slot.jobs.get(message.job));
      return;
    }
    const job = slot.jobs.get(message.job);
    slot.jobs.delete(message.job);
    if (!job) return;
    if (message.kind === 'failed') job.reject(fromWire(message.error));
    else job.resolve(received(message.batch));
  }

  private async answer(worker: Worker, message: Extract<FromWorker, { kind: 'call' }>, job: Job | undefined): Promise<void> {
    let reply: ToWorker;
    const transfer: ArrayBuffer[] = [];
    try {
      const value = await this.call(message, job);
      if (value instanceof Uint8Array) transfer.push(value.buffer as ArrayBuffer);
      reply = { kind: 'answer', call: message.call, ok: true, value };
    } catch (error) {
      reply = { kind: 'answer', call: message.call, ok: false, error: toWire(error) };
    }
    // A worker that died meanwhile has nobody left to answer.
    if (!this.closing) worker.postMessage(reply, transfer);
  }

  private async call({ method, args }: Extract<FromWorker, { kind: 'call' }>, job: Job | undefined): Promise<unknown> {
    const { objects, streams } = this.inputs;
    switch (method) {
      case 'get':
        // A copy, transferred: the store's Buffer is not ours to detach (an in-memory store keeps it).
        return new Uint8Array(await objects.get(args[0] as ObjectRef));
      case 'heartbeat':
        return job?.heartbeat();
      case 'checkpointBefore': {
        const found = await streams.checkpointBefore(args[0] as string, args[1] as string);
        // The driver's Buffer may sit in a large shared one, which a clone would copy whole: only the state's bytes cross.
        return found && { lastOffset: found.lastOffset, state: new Uint8Array(found.state) };
      }
      default:
        return (streams[method] as (...a: unknown[]) => Promise<unknown>)(...args);
    }
  }
}

/** The batch as the handler uses it: its byte fields are Buffers again. */
function received(batch: SilverBatch): SilverBatch {
  return { ...batch, parquet: asBuffer(batch.parquet), statistics: asBuffer(batch.statistics), checkpoint: batch.checkpoint && asBuffer(batch.checkpoint) };
}

/**
 * The built entry when there is one; from src (jest, `node --import tsx`) the TypeScript entry
 * through tsx's CommonJS hook, a dev dependency present wherever src runs. No inherited execArgv:
 * a dev loader inherited from the parent only slows a worker's start.
 */
function startWorker(entry: string, workerData: SilverWorkerData): Worker {
  if (existsSync(`${entry}.js`)) return new Worker(`${entry}.js`, { workerData, execArgv: [] });
  return new Worker(`require('tsx/cjs'); require(${JSON.stringify(`${entry}.ts`)});`, { eval: true, workerData, execArgv: [] });
}
