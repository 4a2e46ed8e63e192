import { parentPort, workerData } from 'node:worker_threads';
import { signalReady, transferable } from '@flowsentry/threads';
import { EncodeReply, EncodeRequest, EncodeWorkerData, unpackValues } from './raw-encode-protocol';
import { encodeRawLines, gzipRawSync } from './raw-lines';

/** Entry of an encode worker thread: validates a batch's values and gzips the valid lines. */
const { maxEventBytes, gzipLevel } = workerData as EncodeWorkerData;

parentPort!.on('message', (request: EncodeRequest) => {
  let reply: EncodeReply;
  const transfer: ArrayBuffer[] = [request.bytes];
  try {
    const lines = encodeRawLines(unpackValues(request.bytes, request.bounds), maxEventBytes);
    const gz = transferable(lines.accepted > 0 ? gzipRawSync(lines.jsonl, gzipLevel) : Buffer.alloc(0));
    reply = { id: request.id, ok: true, bytes: request.bytes, accepted: lines.accepted, rejects: lines.rejects, rawBytes: lines.jsonl.length, gz, minEventTimeMs: lines.minEventTimeMs, maxEventTimeMs: lines.maxEventTimeMs };
    transfer.push(gz);
  } catch (err) {
    reply = { id: request.id, ok: false, bytes: request.bytes, error: (err as Error).stack ?? String(err) };
  }
  parentPort!.postMessage(reply, transfer);
});
signalReady();
