import { join } from 'node:path';
import { gaussian, randomMatrix } from '../../fixtures/scoring-data';
import { featureMatrix } from '../features/feature-matrix';
import { trainLocalOutlierFactor, trainLocalOutlierFactorOnThreads } from './train-local-outlier-factor';
import { trainingNeighbors } from './training-neighbors';
import { trainingNeighborsOnThreads } from './training-neighbors-on-threads';

const EXITS = join(__dirname, '../../fixtures/workers/exits-on-first-batch.js');

function lists(rows: Float64Array, cols: number, k: number) {
  const n = rows.length / cols;
  return { neighbors: new Int32Array(n * k), distance2: new Float64Array(n * k) };
}

async function onThreads(rows: Float64Array, cols: number, k: number, threads: number) {
  const out = lists(rows, cols, k);
  await trainingNeighborsOnThreads(rows, cols, k, threads, out.neighbors, out.distance2);
  return out;
}

function onOneThread(rows: Float64Array, cols: number, k: number) {
  const out = lists(rows, cols, k);
  trainingNeighbors(rows, cols, k, out.neighbors, out.distance2);
  return out;
}

describe('trainingNeighborsOnThreads', () => {
  it.each([
    [2, 1201, 17, 20],
    [3, 999, 39, 20],
    [2, 23, 5, 22],
    [2, 130, 3, 128],
  ])('on %i threads gives the one-thread lists bit for bit (%i rows, %i columns, k %i)', async (threads, n, cols, k) => {
    const rows = Float64Array.from(randomMatrix(n, cols, n + cols, gaussian).data);
    const ours = await onThreads(rows, cols, k, threads);
    const theirs = onOneThread(rows, cols, k);
    expect(Array.from(ours.neighbors)).toEqual(Array.from(theirs.neighbors));
    expect(Array.from(ours.distance2)).toEqual(Array.from(theirs.distance2));
  });

  it('keeps ties by the lower index and exact zeros for duplicates across threads', async () => {
    const rows = Float64Array.from({ length: 701 * 5 }, (_, i) => ((i * 7919) % 13) % 4);
    const ours = await onThreads(rows, 5, 10, 2);
    expect(Array.from(ours.neighbors)).toEqual(Array.from(onOneThread(rows, 5, 10).neighbors));
    expect(ours.distance2.some((d) => d === 0)).toBe(true);
  });

  it('refuses a thread count that is not a positive integer, and more neighbours than other rows', async () => {
    const rows = Float64Array.from(randomMatrix(50, 2, 1, gaussian).data);
    await expect(onThreads(rows, 2, 5, 0)).rejects.toThrow(RangeError);
    await expect(onThreads(rows, 2, 5, 1.5)).rejects.toThrow(RangeError);
    await expect(onThreads(rows, 2, 50, 2)).rejects.toThrow(RangeError);
  });

  it('fails instead of waiting when a worker dies mid-search', async () => {
    const rows = Float64Array.from(randomMatrix(3000, 4, 2, gaussian).data);
    const out = lists(rows, 4, 10);
    await expect(trainingNeighborsOnThreads(rows, 4, 10, 2, out.neighbors, out.distance2, EXITS)).rejects.toThrow(/exited unexpectedly/);
  });
});

describe('trainLocalOutlierFactorOnThreads', () => {
  it('trains the one-thread model bit for bit on 2 threads', async () => {
    const matrix = featureMatrix(randomMatrix(1501, 17, 7, gaussian).data, 17);
    const options = { nNeighbors: 20, scaling: 'standard', contamination: 0.1 } as const;
    const ours = await trainLocalOutlierFactorOnThreads(matrix, { ...options, threads: 2 });
    const theirs = trainLocalOutlierFactor(matrix, options);
    expect(Array.from(ours.kDistance)).toEqual(Array.from(theirs.kDistance));
    expect(Array.from(ours.lrd)).toEqual(Array.from(theirs.lrd));
    expect(ours.offset).toBe(theirs.offset);
    expect(ours.params).toEqual(theirs.params);
  });
});
