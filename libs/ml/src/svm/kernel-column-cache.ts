/**
 * Least-recently-used cache of kernel matrix columns, as libsvm's: columns are float32 (libsvm's
 * Qfloat), and the budget (sklearn's cache_size, 200 MB) bounds memory for any number of rows. When the
 * whole matrix fits, every column is computed once.
 */
export class KernelColumnCache {
  private readonly columns = new Map<number, Float32Array>();
  private readonly capacity: number;

  constructor(
    private readonly length: number,
    budgetBytes: number,
    private readonly compute: (index: number, out: Float32Array) => void,
  ) {
    // Two columns at least: an SMO step reads columns i and j together.
    this.capacity = Math.max(2, Math.floor(budgetBytes / (4 * length)));
  }

  column(index: number): Float32Array {
    const cached = this.columns.get(index);
    if (cached) {
      // Map keeps insertion order: re-inserting makes this the most recently used.
      this.columns.delete(index);
      this.columns.set(index, cached);
      return cached;
    }
    let buffer: Float32Array;
    if (this.columns.size >= this.capacity) {
      const [oldest, reused] = this.columns.entries().next().value as [number, Float32Array];
      this.columns.delete(oldest);
      buffer = reused;
    } else {
      buffer = new Float32Array(this.length);
    }
    this.compute(index, buffer);
    this.columns.set(index, buffer);
    return buffer;
  }
}
