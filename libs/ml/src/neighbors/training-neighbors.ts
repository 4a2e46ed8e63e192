import { emptyNeighborLists } from './neighbor-lists';
import { PairScreen } from './pair-screen';
import { pairTiles, visitTiles } from './pair-tiles';

/**
 * The k nearest other training rows of every training row, the same lists (indices and exact squared
 * distances, ordered by (grid step, index)) as kNearest over a neighborIndex gives, written row after row
 * into `neighbors` and `distance2` (n·k each). Every pair is visited once, tile by tile in the order
 * pairTiles gives (its diagonal tiles tighten the screen's bounds early). One thread;
 * trainingNeighborsOnThreads shares the same tiles between several and gives the same lists.
 */
export function trainingNeighbors(training: Float64Array, cols: number, k: number, neighbors: Int32Array, distance2: Float64Array): void {
  const n = training.length / cols;
  assertEnoughRows(n, k);
  const lists = emptyNeighborLists(n, k, false, { neighbors, distance2 });
  visitTiles(new PairScreen(training, cols, lists), pairTiles(n, 1), new Int32Array(1));
}

export function assertEnoughRows(n: number, k: number): void {
  if (k > n - 1) throw new RangeError(`asked for ${k} neighbours among ${n - 1} rows`);
}
