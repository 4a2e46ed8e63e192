import { PairScreen } from './pair-screen';

/**
 * The all-pairs search cut into tiles for threads to share: rows in blocks of `blockRows`, tile t the
 * pairs between block I and block J ≥ I (only j > i on the diagonal), numbered row-major. Every pair lies
 * in exactly one tile, so each row's candidates are split between threads without overlap.
 */
export interface PairTiles {
  readonly rows: number;
  readonly blockRows: number;
  readonly blocks: number;
  readonly count: number;
}

/**
 * About eight blocks per thread: 36 tiles per thread pair, enough that a thread slowed by other work on a
 * shared machine only leaves a small tile for the others to wait on, while each screen call still covers
 * hundreds of rows.
 */
const BLOCKS_PER_THREAD = 8;
const MIN_BLOCK_ROWS = 64;

export function pairTiles(rows: number, threads: number): PairTiles {
  const blockRows = Math.max(MIN_BLOCK_ROWS, Math.ceil(rows / (BLOCKS_PER_THREAD * threads)));
  const blocks = Math.ceil(rows / blockRows);
  return { rows, blockRows, blocks, count: (blocks * (blocks + 1)) / 2 };
}

/**
 * Block I and block J of tile t: the diagonal tiles first, then the others row-major. A row's list starts
 * empty, and until it holds k rows every pair offered to it passes the screen; the diagonal tiles fill
 * every list from the row's own block cheaply, so the bounds the other tiles screen against are already
 * tight (in each thread's lists, whichever thread takes them).
 */
export function tileBlocks(tiles: PairTiles, t: number): [number, number] {
  if (!Number.isInteger(t) || t < 0 || t >= tiles.count) throw new RangeError(`tile ${t} of ${tiles.count}`);
  if (t < tiles.blocks) return [t, t];
  let first = tiles.blocks;
  for (let block = 0; ; block++) {
    const inRow = tiles.blocks - block - 1;
    if (t < first + inRow) return [block, block + 1 + t - first];
    first += inRow;
  }
}

/**
 * Visits tiles until none is left, taking each tile's number from the shared counter `next[0]`: threads
 * take tiles as they free up, so one slowed down by other work takes fewer. Which thread visits a tile
 * changes only whose lists hold its pairs, and the merge does not depend on that.
 */
export function visitTiles(screen: PairScreen, tiles: PairTiles, next: Int32Array): void {
  while (visitNextTile(screen, tiles, next));
}

/** Visits the next tile not yet taken; false when none was left. */
export function visitNextTile(screen: PairScreen, tiles: PairTiles, next: Int32Array): boolean {
  const t = Atomics.add(next, 0, 1);
  if (t >= tiles.count) return false;
  const [blockI, blockJ] = tileBlocks(tiles, t);
  const iFrom = blockI * tiles.blockRows;
  const jFrom = blockJ * tiles.blockRows;
  screen.visit(iFrom, Math.min(tiles.rows, iFrom + tiles.blockRows), jFrom, Math.min(tiles.rows, jFrom + tiles.blockRows));
  return true;
}
