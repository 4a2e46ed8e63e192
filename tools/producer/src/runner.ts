import type { NetworkEvent } from '@flowsentry/contracts';
import { TokenBucket } from './rate-limiter';
import type { EventSink } from './sink';

export interface RunStats {
  sent: number;
  /** Planned number of events; the run may stop earlier when interrupted. */
  total: number;
  labels: Record<string, number>;
  elapsedMs: number;
  /** Time spent inside sink.send (waiting for the disk or broker). */
  sendMs: number;
  /** Time spent producing events. */
  generateMs: number;
  /** Time spent deliberately waiting for the rate limiter. */
  waitMs: number;
}

export interface RunSummary extends RunStats {
  paced: boolean;
  targetRate: number;
  achievedRate: number;
  /** False when pacing was on and the run could not keep up with the target rate. */
  rateMet: boolean;
  interrupted: boolean;
}

export interface RunOptions {
  events: Iterable<NetworkEvent>;
  sink: EventSink;
  total: number;
  /** Target events per second. */
  rate: number;
  /** Largest number of events per sink.send. */
  batch: number;
  /** When false, events go out as fast as the sink takes them (timestamps are unaffected). */
  paced: boolean;
  clock?: () => number;
  sleep?: (ms: number) => Promise<void>;
  onProgress?: (stats: RunStats) => void;
  progressEveryMs?: number;
  signal?: AbortSignal;
}

/** Below this fraction of the target the summary reports the rate as not met. */
const RATE_TOLERANCE = 0.95;
/** At low rates a full batch would hold events back for seconds; send at least this often. */
const MAX_HOLD_MS = 200;

/** Batches the stream to the sink at the target rate, reporting progress as it goes. */
export async function runProducer(o: RunOptions): Promise<RunSummary> {
  const clock = o.clock ?? (() => performance.now());
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const chunkSize = o.paced ? Math.max(1, Math.min(o.batch, Math.ceil((o.rate * MAX_HOLD_MS) / 1000))) : o.batch;
  const bucket = o.paced ? new TokenBucket(o.rate, Math.max(chunkSize, o.rate * 0.5), clock) : null;
  const stats: RunStats = { sent: 0, total: o.total, labels: {}, elapsedMs: 0, sendMs: 0, generateMs: 0, waitMs: 0 };
  const started = clock();
  let lastProgress = started;
  const iterator = o.events[Symbol.iterator]();
  let exhausted = false;

  while (!exhausted && !o.signal?.aborted) {
    const genStart = clock();
    const chunk: NetworkEvent[] = [];
    while (chunk.length < chunkSize) {
      const next = iterator.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      chunk.push(next.value);
    }
    stats.generateMs += clock() - genStart;
    if (chunk.length === 0) break;

    if (bucket) {
      const wait = bucket.take(chunk.length);
      if (wait > 0) {
        stats.waitMs += wait;
        await sleep(wait);
      }
    }
    const sendStart = clock();
    await o.sink.send(chunk);
    stats.sendMs += clock() - sendStart;
    stats.sent += chunk.length;
    for (const e of chunk) {
      const label = e.label ?? 'unlabelled';
      stats.labels[label] = (stats.labels[label] ?? 0) + 1;
    }
    stats.elapsedMs = clock() - started;
    if (o.onProgress && clock() - lastProgress >= (o.progressEveryMs ?? 250)) {
      lastProgress = clock();
      o.onProgress(stats);
    }
  }

  stats.elapsedMs = clock() - started;
  const achievedRate = stats.elapsedMs > 0 ? stats.sent / (stats.elapsedMs / 1000) : Infinity;
  return {
    ...stats,
    paced: o.paced,
    targetRate: o.rate,
    achievedRate,
    rateMet: !o.paced || achievedRate >= RATE_TOLERANCE * o.rate,
    interrupted: !exhausted && stats.sent < o.total,
  };
}
