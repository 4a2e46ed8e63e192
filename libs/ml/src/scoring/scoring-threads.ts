/** How a scorer spreads large batches over threads; the same for every engine. */
export interface ScoringThreadOptions {
  /**
   * Threads for batches of at least `parallelFromRows` rows (default 1): with threads > 1, the calling
   * thread and threads − 1 worker threads each score a contiguous share of the rows. Smaller batches stay
   * on the calling thread, where the hand-off costs more than it saves.
   */
  readonly threads?: number;
  /** Smallest batch worth spreading over `threads` (default 2,048 rows; OnnxScorer picks its own for LOF and SVM models: onnxParallelFromRows). */
  readonly parallelFromRows?: number;
}

const DEFAULT_PARALLEL_FROM_ROWS = 2048;

/** The options with their defaults, or a RangeError naming the bad one. */
export function resolveThreading(options: ScoringThreadOptions): { threads: number; parallelFromRows: number } {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a positive integer, got ${threads}`);
  const parallelFromRows = options.parallelFromRows ?? DEFAULT_PARALLEL_FROM_ROWS;
  if (!(parallelFromRows >= 1)) throw new RangeError(`parallelFromRows must be ≥ 1, got ${parallelFromRows}`);
  return { threads, parallelFromRows };
}

export interface RowShares {
  /** One contiguous range per worker (fewer when there are fewer rows than workers), in row order. */
  readonly workers: readonly { readonly from: number; readonly to: number }[];
  /** The calling thread scores rows [here, rows): the last 1/(workers + 1) share. */
  readonly here: number;
}

/** Splits rows [0, rows) between `workers` worker threads (the leading rows) and the calling thread. */
export function rowShares(rows: number, workers: number): RowShares {
  const here = rows - Math.floor(rows / (workers + 1));
  const slice = Math.ceil(here / workers);
  const ranges = [];
  for (let from = 0; from < here; from += slice) ranges.push({ from, to: Math.min(here, from + slice) });
  return { workers: ranges, here };
}
