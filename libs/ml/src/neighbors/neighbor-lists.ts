import { offerNeighbor } from './nearest-neighbors';

/**
 * Every training row's list of its k nearest other rows found so far, row after row: indices and exact
 * squared distances ordered by (grid step, index) as offerNeighbor keeps them, each row's `filled` count.
 * Each thread of the pair search builds its own; the lists are then merged into one.
 */
export interface NeighborLists {
  readonly k: number;
  readonly neighbors: Int32Array;
  readonly distance2: Float64Array;
  readonly steps: Float64Array;
  readonly filled: Int32Array;
}

/**
 * Empty lists for n rows; on a SharedArrayBuffer when `shared`, for a worker thread to fill. `into`:
 * the caller's result arrays (n·k each), filled in place rather than allocated.
 */
export function emptyNeighborLists(n: number, k: number, shared = false, into?: Pick<NeighborLists, 'neighbors' | 'distance2'>): NeighborLists {
  const buffer = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  return {
    k,
    neighbors: into?.neighbors ?? new Int32Array(buffer(n * k * 4)),
    distance2: into?.distance2 ?? new Float64Array(buffer(n * k * 8)),
    steps: new Float64Array(buffer(n * k * 8)),
    filled: new Int32Array(buffer(n * 4)),
  };
}

/**
 * Offers every entry of `from` to `into`, row by row. A list ends as the k least by (step, index) of all
 * rows ever offered to it, whatever the order, so when the threads' lists were built from disjoint sets
 * of pairs the merge equals the list one thread would have built from all of them, bit for bit.
 */
export function mergeNeighborLists(into: NeighborLists, from: NeighborLists): void {
  const { k } = into;
  for (let r = 0; r < into.filled.length; r++) {
    const at = r * k;
    let filled = into.filled[r];
    for (let e = at; e < at + from.filled[r]; e++) filled = offerNeighbor(into.steps, into.distance2, into.neighbors, at, k, filled, from.neighbors[e], from.distance2[e], from.steps[e]);
    into.filled[r] = filled;
  }
}
