import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { RawLandedData, rawLandedKey } from '@flowsentry/contracts';
import { ObjectRef } from '@flowsentry/storage';
import { asBuffer, PoolSlot, WorkerPool } from '@flowsentry/threads';
import { SilverBatch, SilverBuild, SilverInputs, SilverSettings } from '../silver-builder';
import { FromWorker, fromWire, SilverWorkerData, toWire, ToWorker } from './silver-worker-protocol';

/** A worker's end, retriable: the step runtime tries the batch again, on a fresh worker that rebuilds the stream's state. */
export class SilverWorkerError extends Error {
  override readonly name = 'SilverWorkerError';
}

interface Job {
  resolve: (batch: SilverBatch) => void;
  reject: (error: Error) => void;
  heartbeat: () => Promise<void>;
}

type Slot = PoolSlot<Job>;

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
  private readonly pool: WorkerPool<Job>;
  private readonly streamSlots = new Map<string, Slot>();
  private lastJob = 0;

  constructor(
    size: number,
    private readonly inputs: SilverInputs,
    settings: SilverSettings,
    /** The worker entry without extension: built JS when present, else the TypeScript source (jest, tsx). */
    entry = join(__dirname, 'silver-worker'),
  ) {
    this.pool = new WorkerPool<Job>(size, {
      entry,
      workerData: { settings } satisfies SilverWorkerData,
      name: 'SILVER worker',
      lost: (why) => new SilverWorkerError(why),
      onMessage: (slot, message, worker) => this.onMessage(slot, message as FromWorker, worker),
    });
  }

  /** Starts every worker and resolves once each has loaded, so the first batches do not wait for a thread's start. */
  start(): Promise<void> {
    return this.pool.start();
  }

  build(raw: RawLandedData, heartbeat: () => Promise<void>, assignment: number, follows?: string): Promise<SilverBatch> {
    const slot = this.slotOf(rawLandedKey(raw.source.topic, raw.source.partition));
    const job = ++this.lastJob;
    return new Promise<SilverBatch>((resolve, reject) => {
      this.pool.post(slot, job, { resolve, reject, heartbeat }, { kind: 'build', job, raw, assignment, follows } satisfies ToWorker);
    });
  }

  close(): Promise<void> {
    return this.pool.close();
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
      const held = (s: Slot) => [...this.streamSlots.values()].filter((t) => t === s).length;
      slot = this.pool.slots.reduce((best, s) => (held(s) < held(best) ? s : best));
      this.streamSlots.set(stream, slot);
    }
    return slot;
  }

  private onMessage(slot: Slot, message: FromWorker, worker: Worker): void {
    if (message.kind === 'call') {
      void this.answer(worker, message, slot.jobs.get(message.job));
      return;
    }
    const job = this.pool.settle(slot, message.job);
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
    if (!this.pool.isClosing) worker.postMessage(reply, transfer);
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
