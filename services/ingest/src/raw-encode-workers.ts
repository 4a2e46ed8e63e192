import { join } from 'node:path';
import { ConsumedMessage } from '@flowsentry/messaging';
import { PoolSlot, WorkerPool } from '@flowsentry/threads';
import { deadLettersOf, EncodedRawBatch, RawBatchEncoder } from './raw-batch-encoder';
import { EncodeReply, EncodeRequest, EncodeWorkerData, packValues } from './raw-encode-protocol';

const MAX_SPARES = 4;

export class EncodeWorkerError extends Error {
  override readonly name = 'EncodeWorkerError';
}

interface Job {
  resolve: (reply: EncodeReply) => void;
  reject: (error: Error) => void;
}

/**
 * Validation (JSON.parse of every event) and gzip off the main thread, which is left to kafkajs
 * and the landing's I/O. Each batch goes to the worker with the fewest batches in hand. A worker
 * that dies fails the batches it held (the consumer re-reads them) and is replaced on next use.
 */
export class WorkerRawBatchEncoder implements RawBatchEncoder {
  private readonly pool: WorkerPool<Job>;
  private nextId = 0;
  /** Buffers the workers handed back, one per batch that can be in flight at once is plenty. */
  private readonly spares: ArrayBuffer[] = [];

  constructor(
    size: number,
    data: EncodeWorkerData,
    /** The worker entry without extension: built JS when present, else the TypeScript source (jest, tsx). */
    entry = join(__dirname, 'raw-encode-worker'),
  ) {
    this.pool = new WorkerPool<Job>(size, {
      entry,
      workerData: data,
      name: 'encode worker',
      lost: (why) => new EncodeWorkerError(why),
      onMessage: (slot, message) => this.pool.settle(slot, (message as EncodeReply).id)?.resolve(message as EncodeReply),
    });
  }

  start(): Promise<void> {
    return this.pool.start();
  }

  async encode(messages: ConsumedMessage[]): Promise<EncodedRawBatch> {
    const slot = this.pool.slots.reduce((best: PoolSlot<Job>, s) => (s.jobs.size < best.jobs.size ? s : best));
    const { bytes, bounds } = packValues(messages.map((m) => m.value), this.spares.pop());
    const request: EncodeRequest = { id: this.nextId++, bytes, bounds };
    const reply = await new Promise<EncodeReply>((resolve, reject) => {
      this.pool.post(slot, request.id, { resolve, reject }, request, [bytes, bounds.buffer as ArrayBuffer]);
    });
    if (this.spares.length < MAX_SPARES) this.spares.push(reply.bytes);
    if (!reply.ok) throw new EncodeWorkerError(`encoding a batch failed in the worker: ${reply.error}`);
    return {
      accepted: reply.accepted,
      deadLetters: deadLettersOf(messages, reply.rejects),
      gz: Buffer.from(reply.gz),
      rawBytes: reply.rawBytes,
      minEventTimeMs: reply.minEventTimeMs,
      maxEventTimeMs: reply.maxEventTimeMs,
    };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
