import { join } from 'node:path';
import { ScoringWorkerPool } from '../scoring/scoring-worker-pool';
import { emptyNeighborLists, mergeNeighborLists } from './neighbor-lists';
import { pairTiles, visitNextTile, visitTiles } from './pair-tiles';
import { PairScreen } from './pair-screen';
import { SharedBounds } from './shared-bounds';
import { assertEnoughRows, trainingNeighbors } from './training-neighbors';

/** The worker entry is plain JS beside this file, in src under jest and tsx, in dist once built. */
const WORKER_SCRIPT = join(__dirname, 'training-neighbors-worker.js');

/**
 * trainingNeighbors on `threads` threads (this one and threads − 1 workers), the same lists bit for bit.
 * The threads take tiles of the pair search from a shared counter, each building lists for every row
 * from the pairs of its tiles, screened against the least bound any thread has found for the row
 * (SharedBounds); the lists are then merged row by row. A pair screened out that way lies beyond some
 * thread's full list, whose k rows all reach the merge, so it could not have been among the k nearest.
 * Workers are started for this one search and terminated before it returns, failed or not.
 * `workerScript` replaces the worker entry, for tests that need a worker to misbehave.
 */
export async function trainingNeighborsOnThreads(
  training: Float64Array,
  cols: number,
  k: number,
  threads: number,
  neighbors: Int32Array,
  distance2: Float64Array,
  workerScript = WORKER_SCRIPT,
): Promise<void> {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
  if (threads === 1) return trainingNeighbors(training, cols, k, neighbors, distance2);
  const n = training.length / cols;
  assertEnoughRows(n, k);
  const shared = new Float64Array(new SharedArrayBuffer(training.length * 8));
  shared.set(training);
  const tiles = pairTiles(n, threads);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const bounds = SharedBounds.create(n);
  const starting = ScoringWorkerPool.start({
    script: workerScript,
    workerData: { training: shared.buffer, cols, tiles, next: next.buffer, bounds: bounds.buffer },
    size: threads - 1,
    engine: 'the LOF neighbour search',
  });
  const here = emptyNeighborLists(n, k, false, { neighbors, distance2 });
  const screen = new PairScreen(training, cols, here, bounds);
  // Workers take ~0.1 s to load; this thread visits tiles meanwhile, one at a time, yielding between them
  // so the workers' `ready` gets through. If the tiles run out first, the workers simply find none.
  let started: ScoringWorkerPool | undefined;
  const ready = starting.then((pool) => (started = pool));
  ready.catch(() => undefined);
  while (!started && visitNextTile(screen, tiles, next)) await new Promise((resolve) => setImmediate(resolve));
  const pool = await ready;
  try {
    const workerLists = Array.from({ length: threads - 1 }, () => emptyNeighborLists(n, k, true));
    const parts = workerLists.map((lists) => ({
      message: { k, neighbors: lists.neighbors.buffer, distance2: lists.distance2.buffer, steps: lists.steps.buffer, filled: lists.filled.buffer },
    }));
    await pool.runBeside(parts, () => visitTiles(screen, tiles, next));
    for (const lists of workerLists) mergeNeighborLists(here, lists);
    const short = here.filled.findIndex((filled) => filled !== k);
    if (short >= 0) throw new Error(`row ${short} ended with ${here.filled[short]} of ${k} neighbours`);
  } finally {
    await pool.release();
  }
}
