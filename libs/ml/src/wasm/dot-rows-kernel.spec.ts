import { DotRowsKernel, paddedWidth } from './dot-rows-kernel';

/** A fixed pseudo-random sequence in [−1, 1), so failures reproduce. */
function values(count: number, seed: number): Float64Array {
  let state = seed >>> 0;
  return Float64Array.from({ length: count }, () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

function scalarDot(a: Float64Array, aFrom: number, b: Float64Array, bFrom: number, length: number): number {
  let sum = 0;
  for (let c = 0; c < length; c++) sum += a[aFrom + c] * b[bFrom + c];
  return sum;
}

describe('DotRowsKernel', () => {
  it('pads widths to a multiple of 4', () => {
    expect([1, 3, 4, 5, 17, 39, 40].map(paddedWidth)).toEqual([4, 4, 4, 8, 20, 40, 40]);
  });

  it.each([1, 2, 3, 5, 7, 17, 39])('equals the scalar dot product on %i columns (remainders and padding included)', (cols) => {
    const rows = 13;
    const data = values(rows * cols, cols);
    const kernel = DotRowsKernel.create(rows * paddedWidth(cols), rows);
    const padded = kernel.allocPadded(data, cols);
    const out = kernel.alloc(rows);
    for (let i = 0; i < rows; i++) {
      kernel.dotRows(padded, i, padded, 0, rows, paddedWidth(cols), out);
      for (let j = 0; j < rows; j++) expect(out[j]).toBeCloseTo(scalarDot(data, i * cols, data, j * cols, cols), 14);
    }
  });

  it('starts at any row and output position, and leaves the rest of out alone', () => {
    const cols = 5;
    const data = values(6 * cols, 9);
    const kernel = DotRowsKernel.create(6 * 8, 8);
    const padded = kernel.allocPadded(data, cols);
    const out = kernel.alloc(8).fill(-7);
    kernel.dotRows(padded, 4, padded, 2, 3, 8, out, 5);
    expect(Array.from(out.subarray(0, 5))).toEqual([-7, -7, -7, -7, -7]);
    for (let j = 0; j < 3; j++) expect(out[5 + j]).toBeCloseTo(scalarDot(data, 4 * cols, data, (2 + j) * cols, cols), 14);
  });

  it('in triangular mode equals the full product for a lower-triangular matrix', () => {
    const m = 11;
    const width = paddedWidth(m);
    const kernel = DotRowsKernel.create(width * m, width, m, m);
    const lower = kernel.alloc(width * m);
    const random = values(m * m, 3);
    for (let a = 0; a < m; a++) for (let b = 0; b <= a; b++) lower[a * width + b] = random[a * m + b];
    const x = kernel.alloc(width);
    x.set(values(m, 4));
    const full = kernel.alloc(m);
    const triangular = kernel.alloc(m);
    kernel.dotRows(x, 0, lower, 0, m, width, full);
    kernel.dotRows(x, 0, lower, 0, m, width, triangular, 0, true);
    expect(Array.from(triangular)).toEqual(Array.from(full));
  });

  it('refuses arrays from elsewhere, bad widths and out-of-bounds ranges', () => {
    const kernel = DotRowsKernel.create(16, 4);
    const rows = kernel.alloc(16);
    const out = kernel.alloc(4);
    expect(() => kernel.dotRows(new Float64Array(16), 0, rows, 0, 4, 4, out)).toThrow(RangeError);
    expect(() => kernel.dotRows(rows, 0, rows, 0, 2, 6, out)).toThrow(/multiple of 4/);
    expect(() => kernel.dotRows(rows, 0, rows, 1, 4, 4, out)).toThrow(/out of bounds/);
    expect(() => kernel.alloc(1)).toThrow(/exhausted/);
  });
});

describe('DotRowsKernel.screenRows', () => {
  it.each([3, 17, 39, 70])('on %i columns keeps every row within a bound, and rows far outside it go', (cols) => {
    const rows = 23; // not a multiple of the 4-row block: the remainder takes the one-row path
    const data = values(rows * cols, 100 + cols);
    const width = paddedWidth(cols);
    const kernel = DotRowsKernel.create(rows * width, rows, rows, rows);
    const padded = kernel.allocPadded(data, cols);
    const norms = kernel.alloc(rows);
    for (let r = 0; r < rows; r++) norms[r] = scalarDot(data, r * cols, data, r * cols, cols);
    const exact = (i: number, j: number) => {
      let d2 = 0;
      for (let c = 0; c < cols; c++) d2 += (data[i * cols + c] - data[j * cols + c]) ** 2;
      return d2;
    };
    // Row j's own bound is its distance to row 1: exactly on it must pass; the a-side bound is row 0's to row 5.
    const bounds = kernel.alloc(rows);
    for (let j = 0; j < rows; j++) bounds[j] = exact(1, j);
    const out = kernel.allocIndices(rows);
    const boundA = exact(0, 5);
    const found = kernel.screenRows(padded, 0, padded, 0, rows, width, norms, bounds, out, norms[0], boundA, 1e-12);
    const passed = new Set(Array.from(out.subarray(0, found)));
    for (let j = 0; j < rows; j++) {
      const d2 = exact(0, j);
      if (d2 <= boundA || d2 <= bounds[j]) expect(passed.has(j)).toBe(true);
      if (d2 > 1.001 * Math.max(boundA, bounds[j]) + 1e-9) expect(passed.has(j)).toBe(false);
    }
    expect(Array.from(out.subarray(0, found))).toEqual([...passed].sort((a, b) => a - b));
  });
});
