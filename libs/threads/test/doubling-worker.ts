import { parentPort, threadId, workerData } from 'node:worker_threads';
import { signalReady } from '../src/worker-pool';

/** A pool spec's worker: doubles numbers, answers with its workerData, exits (code 7) or never answers when told to. */
parentPort!.on('message', ({ id, value }: { id: number; value: number | 'exit' | 'ignore' }) => {
  if (value === 'exit') process.exit(7);
  if (value === 'ignore') return;
  parentPort!.postMessage({ id, value: value * 2, data: workerData, thread: threadId });
});
signalReady();
