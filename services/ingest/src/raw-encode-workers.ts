import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ConsumedMessage } from '@flowsentry/messaging';
import { deadLettersOf, EncodedRawBatch, RawBatchEncoder } from './raw-batch-encoder';
import { EncodeReply, EncodeRequest, EncodeWorkerData, packValues } from './raw-encode-protocol';

const MAX_SPARES = 4;

export class EncodeWorkerError extends Error {
  override readonly name = 'EncodeWorkerError';
}

interface Slot {
  worker?: Worker;
  pending: Map<number, { resolve: (reply: EncodeReply) => void; reject: (error: Error) => void }>;
}

/**
 * Validation (JSON.parse of every event) and gzip off the main thread, which is left to kafkajs
 * and the landing's I/O. Each batch goes to the worker with the fewest batches in hand. A worker
 * that dies fails the batches it held (the consumer re-reads them) and is replaced on next use.
 */
export class WorkerRawBatchEncoder implements RawBatchEncoder {
  private readonly slots: Slot[];
  private nextId = 0;
  private closing = false;
  /** Buffers the workers handed back, one per batch that can be in flight at once is plenty. */
  private readonly spares: ArrayBuffer[] = [];

  constructor(
    size: number,
    private readonly data: EncodeWorkerData,
    /** Compiled worker entry; tests pass the built file, since jest transforms only the main thread. */
    private readonly script = join(__dirname, 'raw-encode-worker.js'),
  ) {
    this.slots = Array.from({ length: size }, () => ({ pending: new Map() }));
  }

  async encode(messages: ConsumedMessage[]): Promise<EncodedRawBatch> {
    const slot = this.slots.reduce((best, s) => (s.pending.size < best.pending.size ? s : best));
    const worker = this.workerOf(slot);
    const { bytes, bounds } = packValues(messages.map((m) => m.value), this.spares.pop());
    const request: EncodeRequest = { id: this.nextId++, bytes, bounds };
    const reply = await new Promise<EncodeReply>((resolve, reject) => {
      slot.pending.set(request.id, { resolve, reject });
      worker.postMessage(request, [bytes, bounds.buffer as ArrayBuffer]);
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

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((slot) => slot.worker?.terminate()));
  }

  private workerOf(slot: Slot): Worker {
    if (slot.worker) return slot.worker;
    const worker = new Worker(this.script, { workerData: this.data });
    // An idle worker must not keep the process alive; a batch in hand keeps it busy anyway.
    worker.unref();
    worker.on('message', (reply: EncodeReply) => {
      const waiter = slot.pending.get(reply.id);
      slot.pending.delete(reply.id);
      waiter?.resolve(reply);
    });
    const lost = (why: string) => {
      if (slot.worker !== worker) return;
      slot.worker = undefined;
      const error = new EncodeWorkerError(why);
      for (const waiter of slot.pending.values()) waiter.reject(error);
      slot.pending.clear();
    };
    worker.on('error', (err) => lost(`encode worker crashed: ${err.message}`));
    worker.on('exit', (code) => lost(this.closing ? 'encode workers closed' : `encode worker exited unexpectedly (code ${code})`));
    slot.worker = worker;
    return worker;
  }
}
