import { gaussian, randomMatrix } from '../../fixtures/scoring-data';
import { kNearest, neighborIndex } from './nearest-neighbors';
import { trainingNeighbors } from './training-neighbors';

/** kNearest over a neighborIndex, row by row: the reference the all-pairs search must equal. */
function reference(rows: Float64Array, cols: number, k: number) {
  const n = rows.length / cols;
  const index = neighborIndex(rows, cols);
  const neighbors = new Int32Array(n * k);
  const distance2 = new Float64Array(n * k);
  for (let i = 0; i < n; i++) kNearest(index, rows, i, k, i, neighbors.subarray(i * k, (i + 1) * k), distance2.subarray(i * k, (i + 1) * k), new Float64Array(k));
  return { neighbors, distance2 };
}

function search(rows: Float64Array, cols: number, k: number) {
  const n = rows.length / cols;
  const neighbors = new Int32Array(n * k);
  const distance2 = new Float64Array(n * k);
  trainingNeighbors(rows, cols, k, neighbors, distance2);
  return { neighbors, distance2 };
}

describe('trainingNeighbors', () => {
  it.each([1, 3, 17, 39])('gives kNearest’s lists bit for bit on %i gaussian columns', (cols) => {
    const rows = Float64Array.from(randomMatrix(600, cols, cols, gaussian).data);
    const ours = search(rows, cols, 20);
    const theirs = reference(rows, cols, 20);
    expect(Array.from(ours.neighbors)).toEqual(Array.from(theirs.neighbors));
    expect(Array.from(ours.distance2)).toEqual(Array.from(theirs.distance2));
  });

  it('keeps exact zeros for duplicates and breaks ties by the lower index on integer-valued columns', () => {
    // Small integers: many exact ties and duplicated rows, where the expansion’s rounding would not give 0.
    const rows = Float64Array.from({ length: 400 * 5 }, (_, i) => ((i * 7919) % 13) % 4);
    const ours = search(rows, 5, 10);
    expect(Array.from(ours.neighbors)).toEqual(Array.from(reference(rows, 5, 10).neighbors));
    expect(ours.distance2.some((d) => d === 0)).toBe(true);
    expect(ours.distance2.every((d) => d >= 0)).toBe(true);
  });

  it.each([
    ['far from the origin, where the expansion cancels (screened in float64)', 1e4, 1],
    ['around the origin, off centre (float32 screen, its slack at work)', 1.5, 1],
    ['beyond the float32 screen’s range (screened in float64)', 0, 1e17],
    ['below it', 0, 1e-17],
  ])('gives kNearest’s lists bit for bit on rows %s', (_, offset, scale) => {
    const cols = 39;
    const rows = Float64Array.from(randomMatrix(500, cols, 7, gaussian).data, (v) => offset + v * scale);
    const ours = search(rows, cols, 20);
    const theirs = reference(rows, cols, 20);
    expect(Array.from(ours.neighbors)).toEqual(Array.from(theirs.neighbors));
    expect(Array.from(ours.distance2)).toEqual(Array.from(theirs.distance2));
  });

  it('gives kNearest’s lists bit for bit with constant columns', () => {
    const cols = 17;
    const rows = Float64Array.from(randomMatrix(400, cols, 3, gaussian).data, (v, at) => (at % cols < 3 ? 0.1 * (1 + (at % cols)) : v));
    const ours = search(rows, cols, 20);
    const theirs = reference(rows, cols, 20);
    expect(Array.from(ours.neighbors)).toEqual(Array.from(theirs.neighbors));
    expect(Array.from(ours.distance2)).toEqual(Array.from(theirs.distance2));
  });

  it('refuses more neighbours than other rows', () => {
    expect(() => search(Float64Array.of(1, 2, 3), 1, 3)).toThrow(RangeError);
  });
});
