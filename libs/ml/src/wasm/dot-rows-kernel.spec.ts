import { DotRowsKernel, paddedWidth } from './dot-rows-kernel';
import { f32ScreenSlack } from './screen-rows-f32-function';

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

describe('DotRowsKernel.dotRowsBatch', () => {
  it('gives hand-checkable products, the last block of b short (7 rows of b, blocks of 3)', () => {
    const cols = 5;
    const kernel = DotRowsKernel.create(2 * 8, 7 * 8, 2 * 7);
    const a = kernel.allocPadded([1, 2, 3, 4, 5, 1, -1, 1, -1, 1], cols);
    // b_j = e_j for j < 5, then all ones, then (1, 10, 100, 1000, 10000).
    const b = kernel.allocPadded([1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 10, 100, 1000, 10_000], cols);
    const out = kernel.alloc(2 * 7);
    kernel.dotRowsBatch(a, 0, 2, b, 0, 7, 8, out);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 15, 54_321, 1, -1, 1, -1, 1, 1, 9_091]);
  });

  it.each([1, 3, 5, 17, 39, 70])('equals dotRows bit for bit on %i columns, for every count and in triangular mode', (cols) => {
    const width = paddedWidth(cols);
    const aRows = 6;
    const bRows = 13;
    const kernel = DotRowsKernel.create(aRows * width, bRows * width, aRows * bRows, bRows);
    const a = kernel.allocPadded(values(aRows * cols, 7 + cols), cols);
    const b = kernel.allocPadded(values(bRows * cols, 8 + cols), cols);
    // Zeros above the diagonal, as triangular mode presumes of the rows from bRow = 0.
    for (let j = 0; j < bRows; j++) for (let c = j + 1; c < cols; c++) b[j * width + c] = 0;
    const batch = kernel.alloc(aRows * bRows);
    const single = kernel.alloc(bRows);
    for (const triangular of [false, true]) {
      for (const count of [1, 2, 3, 4, 5, 7, 12, 13]) {
        const bRow = triangular ? 0 : bRows - count;
        kernel.dotRowsBatch(a, 1, aRows - 1, b, bRow, count, width, batch, 0, triangular);
        for (let i = 0; i < aRows - 1; i++) {
          kernel.dotRows(a, 1 + i, b, bRow, count, width, single, 0, triangular);
          expect(Array.from(batch.subarray(i * count, (i + 1) * count))).toEqual(Array.from(single.subarray(0, count)));
        }
      }
    }
  });

  it('writes only its rows × count outputs from outAt', () => {
    const kernel = DotRowsKernel.create(3 * 4, 5 * 4, 20);
    const a = kernel.allocPadded(values(9, 1), 3);
    const b = kernel.allocPadded(values(15, 2), 3);
    const out = kernel.alloc(20).fill(-7);
    kernel.dotRowsBatch(a, 1, 2, b, 0, 5, 4, out, 4);
    expect([...out.subarray(0, 4), ...out.subarray(14)]).toEqual(Array<number>(10).fill(-7));
    expect(out.subarray(4, 14).every((value) => value !== -7)).toBe(true);
  });

  it('reads no row of b past count, even when b ends where the memory does', () => {
    // 32 bytes of a, 32 of out, the kernel's own 32-byte slot and b fill exactly one 64 KiB page.
    const bLength = (65_536 - 3 * 32) / 8;
    const kernel = DotRowsKernel.create(4, 4, bLength);
    const a = kernel.alloc(4);
    a.set([1, 2, 3, 4]);
    const out = kernel.alloc(4);
    const b = kernel.alloc(bLength);
    const lastRow = bLength / 4 - 1;
    b.set([1, 1, 1, 1], lastRow * 4);
    for (const count of [1, 2, 4]) {
      kernel.dotRowsBatch(a, 0, 1, b, lastRow + 1 - count, count, 4, out);
      expect(out[count - 1]).toBe(10);
    }
  });

  it('refuses arrays from elsewhere, bad widths and out-of-bounds ranges', () => {
    const kernel = DotRowsKernel.create(16, 16, 8);
    const a = kernel.alloc(16);
    const b = kernel.alloc(16);
    const out = kernel.alloc(8);
    expect(() => kernel.dotRowsBatch(new Float64Array(16), 0, 1, b, 0, 4, 4, out)).toThrow(RangeError);
    expect(() => kernel.dotRowsBatch(a, 0, 2, b, 0, 2, 6, out)).toThrow(/multiple of 4/);
    expect(() => kernel.dotRowsBatch(a, 1, 4, b, 0, 2, 4, out)).toThrow(/out of bounds/);
    expect(() => kernel.dotRowsBatch(a, 0, 3, b, 0, 3, 4, out)).toThrow(/out of bounds/);
  });

  describe('rbfRows', () => {
    const rbf = (rowNorm: number, landmarkNorm: number, dot: number, gamma: number) => Math.exp(-gamma * Math.max(0, rowNorm + landmarkNorm - 2 * dot));

    it.each([
      [200, 0.025],
      [37, 1],
      [37, 1e-9],
      [8, 3],
    ])('equals Math.exp of sklearn’s expansion bit for bit (%i landmarks, γ %d), subnormal, zero and near-one values included', (count, gamma) => {
      const rows = 300;
      const width = paddedWidth(count + 1);
      const kernel = DotRowsKernel.create(rows * count + 1, rows, count + 1, rows * width);
      const dots = kernel.alloc(rows * count + 1);
      const rowNorms = kernel.alloc(rows);
      const landmarkNorms = kernel.alloc(count + 1);
      const out = kernel.alloc(rows * width);
      // Squared norms up to 3,000 reach exp(−γ·d²) far below the subnormal range; equal norms and dots give d² = 0.
      const scale = values(rows * count + rows + count, count);
      for (let i = 0; i < rows; i++) rowNorms[i] = (scale[i] + 1) * [1_500, 15, 0.25][i % 3];
      for (let a = 0; a < count; a++) landmarkNorms[a] = (scale[rows + a] + 1) * 15;
      for (let j = 0; j < rows * count; j++) dots[j] = scale[rows + count + j] * 40;
      dots[0] = (rowNorms[0] + landmarkNorms[0]) / 2;

      kernel.rbfRows(dots, rowNorms, landmarkNorms, rows, count, gamma, out, 0, width);

      let differ = 0;
      for (let i = 0; i < rows; i++) for (let a = 0; a < count; a++) if (!Object.is(out[i * width + a], rbf(rowNorms[i], landmarkNorms[a], dots[i * count + a], gamma))) differ++;
      expect(differ).toBe(0);
      expect(out[0]).toBe(1);
      if (gamma >= 1) expect(out.some((v) => v > 0 && v < 2.2250738585072014e-308)).toBe(true);
    });

    it('writes rows from outAt, outWidth apart, and refuses arrays that are not its own or too short', () => {
      const kernel = DotRowsKernel.create(7, 3, 4, 24);
      const dots = kernel.alloc(7).fill(0.5);
      const rowNorms = kernel.alloc(3).fill(1);
      const landmarkNorms = kernel.alloc(4).fill(1);
      const out = kernel.alloc(24).fill(-1);
      kernel.rbfRows(dots, rowNorms, landmarkNorms, 2, 3, 0.5, out, 4, 8);
      expect(Array.from(out.subarray(4, 7))).toEqual([rbf(1, 1, 0.5, 0.5), rbf(1, 1, 0.5, 0.5), rbf(1, 1, 0.5, 0.5)]);
      expect(out[3]).toBe(-1);
      expect(out[12]).toBeCloseTo(Math.exp(-0.5), 15);
      expect(() => kernel.rbfRows(new Float64Array(7), rowNorms, landmarkNorms, 2, 3, 0.5, out, 0, 8)).toThrow(RangeError);
      expect(() => kernel.rbfRows(dots, rowNorms, landmarkNorms.subarray(0, 3), 2, 3, 0.5, out, 0, 8)).toThrow(/out of bounds/);
    });
  });

  describe('screenRowsF32', () => {
    /** n rows of `data` as the screen takes them, their norms, room for bounds and results, and exact squared distances. */
    const screenSetup = (data: Float64Array, n: number, cols: number) => {
      const width = paddedWidth(cols);
      const kernel = DotRowsKernel.create(n * width, n, n, n);
      const rows = kernel.allocPaddedFloat32(data, cols);
      const norms = kernel.alloc(n);
      for (let j = 0; j < n; j++) norms[j] = scalarDot(data, j * cols, data, j * cols, cols);
      const exact = (i: number, j: number) => {
        let d2 = 0;
        for (let c = 0; c < cols; c++) d2 += (data[i * cols + c] - data[j * cols + c]) ** 2;
        return d2;
      };
      return { kernel, width, rows, norms, bounds: kernel.alloc(n), out: kernel.allocIndices(n), exact };
    };

    it.each([
      [39, 0],
      [39, 100],
      [17, 1e4],
      [70, 3],
    ])('passes every row whose exact squared distance is within its bound (%i columns, offset %d), with f32ScreenSlack', (cols, offset) => {
      const n = 120;
      const { kernel, width, rows, norms, bounds, out, exact } = screenSetup(values(n * cols, cols + offset).map((v) => offset + v), n, cols);
      let tight = 0;
      let loose = 0;
      for (let i = 0; i < n; i++) {
        // Each row's bound exactly its distance to row i: all must pass; with no slack about half would not.
        for (let j = 0; j < n; j++) bounds[j] = exact(i, j);
        expect(kernel.screenRowsF32(rows, i, rows, 0, n, width, norms, bounds, out, norms[i], -Infinity, f32ScreenSlack(width))).toBe(n);
        tight += kernel.screenRowsF32(rows, i, rows, 0, n, width, norms, bounds, out, norms[i], -Infinity, 0);
        // Bounds at half the distance: the slack lets only near-zero distances through.
        for (let j = 0; j < n; j++) bounds[j] = exact(i, j) / 2;
        loose += kernel.screenRowsF32(rows, i, rows, 0, n, width, norms, bounds, out, norms[i], -Infinity, f32ScreenSlack(width));
      }
      if (offset >= 100) expect(tight).toBeLessThan(n * n);
      // Far from the origin the slack, which scales with the norms, lets much through: PairScreen screens such data in float64.
      if (offset <= 100) expect(loose).toBeLessThan(n * n * 0.1);
    });

    it('lists exactly the rows that pass, in ascending order, from blocks of four and the rows after them', () => {
      // 103 rows: 25 blocks of four, then three one at a time. Even rows are bounded at their exact distance
      // (pass), odd ones at a quarter of it (fail by far more than the slack), except row i itself (distance 0).
      const n = 103;
      const { kernel, width, rows, norms, bounds, out, exact } = screenSetup(values(n * 17, 5), n, 17);
      for (const i of [0, 50, 101]) {
        const expected: number[] = [];
        for (let j = 0; j < n; j++) {
          const d2 = exact(i, j);
          bounds[j] = j % 2 === 0 ? d2 : d2 / 4;
          if (j % 2 === 0 || j === i) expected.push(j);
        }
        const found = kernel.screenRowsF32(rows, i, rows, 0, n, width, norms, bounds, out, norms[i], -Infinity, f32ScreenSlack(width));
        expect(Array.from(out.subarray(0, found))).toEqual(expected);
      }
    });
  });

  describe('release', () => {
    it('hands the memory to the next kernel, zeroed where the last one wrote, with working kernels on it', () => {
      const first = DotRowsKernel.create(64, 64);
      const written = first.alloc(64).fill(5);
      first.alloc(64).fill(-3);
      first.release();
      const second = DotRowsKernel.create(100, 4, 4, 1);
      const rows = second.alloc(100);
      expect(rows.buffer).toBe(written.buffer);
      expect(rows.every((v) => v === 0)).toBe(true);
      const a = second.alloc(4);
      const b = second.alloc(4);
      const out = second.alloc(1);
      a.set([1, 2, 3, 4]);
      b.set([4, 3, 2, 1]);
      second.dotRows(a, 0, b, 0, 1, 4, out);
      expect(out[0]).toBe(20);
      second.release();
    });

    it('never shares a memory between two live kernels, and a second release changes nothing', () => {
      const first = DotRowsKernel.create(8);
      const view = first.alloc(8);
      first.release();
      first.release();
      const second = DotRowsKernel.create(8);
      const third = DotRowsKernel.create(8);
      expect(second.alloc(8).buffer).toBe(view.buffer);
      expect(third.alloc(8).buffer).not.toBe(view.buffer);
      second.release();
      third.release();
    });

    it('takes a fresh memory when the one given back is too small', () => {
      const small = DotRowsKernel.create(8);
      const view = small.alloc(8);
      small.release();
      const large = DotRowsKernel.create(2_000_000);
      expect(large.alloc(2_000_000).buffer).not.toBe(view.buffer);
      large.release();
    });
  });
});
