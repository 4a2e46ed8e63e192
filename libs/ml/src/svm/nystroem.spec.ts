import { fitNystroem, NystroemFeatures } from './nystroem';
import { rbfRow } from './rbf-kernel';

/** A fixed pseudo-random sequence in [−1, 1), so failures reproduce. */
function values(count: number, seed: number): Float64Array {
  let state = seed >>> 0;
  return Float64Array.from({ length: count }, () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

describe('NystroemFeatures', () => {
  // 53 rows: three full batches of the kernel and a short one; 9 landmarks: blocks of b with a remainder.
  const cols = 7;
  const n = 53;
  const gamma = 0.3;
  const rows = values(n * cols, 11);
  const map = fitNystroem(rows, cols, 9, gamma, 4);
  const m = map.count;
  /** φ of every row, formed in an order that puts rows of different kernel batches in one formed batch. */
  function allRows(features: NystroemFeatures): Float64Array {
    const order = Array.from({ length: n }, (_, i) => (i * 17) % n);
    features.form(order, 20);
    const phi = new Float64Array(n * m);
    for (let i = 0; i < n; i++) phi.set(features.values.subarray(features.rowAt(i), features.rowAt(i) + m), i * m);
    return phi;
  }
  const features = NystroemFeatures.of(map, rows, cols, gamma);
  const phi = allRows(features);
  afterAll(() => features.release());

  it('solves R φ(x) = k(x, L) for every row, whether formed in a batch or alone', () => {
    expect(m).toBe(9);
    const k = new Float64Array(m);
    for (let r = 0; r < n; r++) {
      rbfRow(rows, r, map.landmarks, cols, gamma, k);
      for (let a = 0; a < m; a++) {
        let sum = 0;
        for (let b = 0; b <= a; b++) sum += map.factor[a * m + b] * phi[r * m + b];
        expect(sum).toBeCloseTo(k[a], 12);
      }
    }
  });

  it('reproduces the RBF kernel exactly (to rounding) between rows that are landmarks', () => {
    const landmarkRows = Array.from({ length: m }, (_, a) => {
      const r = Array.from({ length: n }, (__, i) => i).find((i) => rows.subarray(i * cols, (i + 1) * cols).every((v, c) => v === map.landmarks[a * cols + c]));
      if (r === undefined) throw new Error(`landmark ${a} is no training row`);
      return r;
    });
    expect(Math.max(...landmarkRows)).toBeGreaterThan(16); // some lie past the first batch
    const kernel = new Float64Array(m);
    for (let a = 0; a < m; a++) {
      rbfRow(map.landmarks, a, map.landmarks, cols, gamma, kernel);
      for (let b = 0; b < m; b++) {
        let dot = 0;
        for (let t = 0; t < m; t++) dot += phi[landmarkRows[a] * m + t] * phi[landmarkRows[b] * m + t];
        expect(dot).toBeCloseTo(kernel[b], 12);
      }
    }
  });

  it('gives w·φ for the rows asked, without forming them, and Σ a_i φ_i, as the explicit features do', () => {
    const fresh = NystroemFeatures.of(map, rows, cols, gamma);
    try {
      const w = values(m, 5);
      const index = Int32Array.from([0, 1, 2, 7, 8, 30, 52]); // runs and single rows
      const dots = fresh.dots(w, index, index.length);
      for (const i of index) {
        let expected = 0;
        for (let c = 0; c < m; c++) expected += w[c] * phi[i * m + c];
        expect(dots[i]).toBeCloseTo(expected, 12);
      }
      const weights = values(n, 6).map((v) => (v > 0 ? v : 0));
      const sum = fresh.combination(weights);
      for (let c = 0; c < m; c++) {
        let expected = 0;
        for (let i = 0; i < n; i++) expected += weights[i] * phi[i * m + c];
        expect(sum[c]).toBeCloseTo(expected, 12);
      }
      expect(fresh.formedRows).toBe(0);
      // Rows are formed in the order asked for, each once.
      expect(fresh.rowAt(30)).toBe(0);
      expect(fresh.rowAt(4)).toBe(m);
      expect(fresh.rowAt(30)).toBe(0);
    } finally {
      fresh.release();
    }
  });
});
