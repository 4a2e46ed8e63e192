import { resolveThreading, rowShares } from './scoring-threads';

describe('resolveThreading', () => {
  it('defaults to one thread and splitting from 2,048 rows, and names a bad option', () => {
    expect(resolveThreading({})).toEqual({ threads: 1, parallelFromRows: 2048 });
    expect(resolveThreading({ threads: 3, parallelFromRows: 1 })).toEqual({ threads: 3, parallelFromRows: 1 });
    expect(() => resolveThreading({ threads: 0 })).toThrow('threads must be a positive integer, got 0');
    expect(() => resolveThreading({ threads: 1.5 })).toThrow(/threads must be a positive integer/);
    expect(() => resolveThreading({ parallelFromRows: 0 })).toThrow('parallelFromRows must be ≥ 1, got 0');
    expect(() => resolveThreading({ parallelFromRows: NaN })).toThrow(/parallelFromRows/);
  });
});

describe('rowShares', () => {
  it('gives the workers contiguous leading ranges and the calling thread the last share, covering every row once', () => {
    expect(rowShares(10, 1)).toEqual({ workers: [{ from: 0, to: 5 }], here: 5 });
    expect(rowShares(7, 2)).toEqual({ workers: [{ from: 0, to: 3 }, { from: 3, to: 5 }], here: 5 });
    // Fewer rows than threads: the workers get what there is, the calling thread may get nothing.
    expect(rowShares(1, 3)).toEqual({ workers: [{ from: 0, to: 1 }], here: 1 });
    for (const [rows, workers] of [[100_003, 1], [100_003, 3], [2049, 2], [5, 4]]) {
      const { workers: ranges, here } = rowShares(rows, workers);
      expect(ranges.length).toBeLessThanOrEqual(workers);
      expect(ranges[0].from).toBe(0);
      for (let i = 1; i < ranges.length; i++) expect(ranges[i].from).toBe(ranges[i - 1].to);
      expect(ranges[ranges.length - 1].to).toBe(here);
      expect(rows - here).toBe(Math.floor(rows / (workers + 1)));
    }
  });
});
