import { fitNystroem, nystroemFeatures } from './nystroem';
import { rbfRow } from './rbf-kernel';

/** A fixed pseudo-random sequence in [−1, 1), so failures reproduce. */
function values(count: number, seed: number): Float64Array {
  let state = seed >>> 0;
  return Float64Array.from({ length: count }, () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 31 - 1;
  });
}

describe('nystroemFeatures', () => {
  // 53 rows: three full batches of the kernel and a short one; 9 landmarks: blocks of b with a remainder.
  const cols = 7;
  const n = 53;
  const gamma = 0.3;
  const rows = values(n * cols, 11);
  const map = fitNystroem(rows, cols, 9, gamma, 4);
  const features = nystroemFeatures(map, rows, cols, gamma);

  it('solves R φ(x) = k(x, L) for every row, whatever batch the row falls in', () => {
    const m = map.count;
    expect(m).toBe(9);
    expect(features.length).toBe(n * m);
    const k = new Float64Array(m);
    for (let r = 0; r < n; r++) {
      rbfRow(rows, r, map.landmarks, cols, gamma, k);
      for (let a = 0; a < m; a++) {
        let sum = 0;
        for (let b = 0; b <= a; b++) sum += map.factor[a * m + b] * features[r * m + b];
        expect(sum).toBeCloseTo(k[a], 12);
      }
    }
  });

  it('reproduces the RBF kernel exactly (to rounding) between rows that are landmarks', () => {
    const m = map.count;
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
        for (let t = 0; t < m; t++) dot += features[landmarkRows[a] * m + t] * features[landmarkRows[b] * m + t];
        expect(dot).toBeCloseTo(kernel[b], 12);
      }
    }
  });
});
