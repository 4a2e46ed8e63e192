import { parentPort, workerData } from 'node:worker_threads';
import { ObjectRef } from '@flowsentry/storage';
import { asBuffer, ownBytes, signalReady } from '@flowsentry/threads';
import { SilverBatch, SilverBuilder } from '../silver-builder';
import { StreamReads } from '../stream-store';
import { FromWorker, fromWire, InputCall, SilverWorkerData, toWire, ToWorker } from './silver-worker-protocol';

/** Entry of a SILVER worker thread (SilverWorkers): builds the batches of the streams sent to it, one SilverBuilder for all. */
const port = parentPort!;
const { settings } = workerData as SilverWorkerData;
const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
let lastCall = 0;

function ask<T>(job: number, method: InputCall, ...args: unknown[]): Promise<T> {
  const call = ++lastCall;
  return new Promise<T>((resolve, reject) => {
    waiting.set(call, { resolve: resolve as (value: unknown) => void, reject });
    port.postMessage({ kind: 'call', call, job, method, args } satisfies FromWorker);
  });
}

// Stream reads are not tied to a job: job 0 names none (only a heartbeat needs the job it beats for).
const streams: StreamReads = {
  lastBatchBefore: (...args) => ask(0, 'lastBatchBefore', ...args),
  checkpointBefore: async (...args) => {
    const found = await ask<{ lastOffset: string; state: Uint8Array } | undefined>(0, 'checkpointBefore', ...args);
    return found && { lastOffset: found.lastOffset, state: asBuffer(found.state) };
  },
  batchesBetween: (...args) => ask(0, 'batchesBetween', ...args),
  keysSince: (...args) => ask(0, 'keysSince', ...args),
};
const builder = new SilverBuilder({ objects: { get: async (ref: ObjectRef) => asBuffer(await ask<Uint8Array>(0, 'get', ref)) }, streams }, settings);

async function build(job: number, { raw, assignment, follows }: Extract<ToWorker, { kind: 'build' }>): Promise<void> {
  try {
    const batch = await builder.build(raw, () => ask(job, 'heartbeat'), assignment, follows);
    const parquet = ownBytes(batch.parquet);
    const statistics = ownBytes(batch.statistics);
    const checkpoint = batch.checkpoint && ownBytes(batch.checkpoint);
    const sent: SilverBatch = { ...batch, parquet, statistics, checkpoint };
    const transfer = [parquet.buffer, statistics.buffer, ...(checkpoint ? [checkpoint.buffer] : [])] as ArrayBuffer[];
    port.postMessage({ kind: 'built', job, batch: sent } satisfies FromWorker, transfer);
  } catch (error) {
    port.postMessage({ kind: 'failed', job, error: toWire(error) } satisfies FromWorker);
  }
}

port.on('message', (message: ToWorker) => {
  if (message.kind === 'build') {
    void build(message.job, message);
    return;
  }
  const waiter = waiting.get(message.call);
  waiting.delete(message.call);
  if (message.ok) waiter?.resolve(message.value);
  else waiter?.reject(fromWire(message.error));
});
signalReady();
