import { LinearFeatures, smallestFirst, solveLinearOneClass } from './linear-one-class-solver';
import { fitNystroem, NystroemFeatures } from './nystroem';

/** A fixed pseudo-random sequence in [0, 1), so failures reproduce. */
function values(count: number, seed: number): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  });
}

describe('smallestFirst (the solver picks its working pairs with it)', () => {
  it.each([
    [1, 0],
    [1, 1],
    [7, 3],
    [500, 50],
    [500, 500],
    [2_000, 1],
  ])('puts the %i items’ %i smallest first, in the order a full sort gives, and keeps every item', (n, count) => {
    // Many equal keys: the index breaks ties, as the solver's comparators do.
    const key = values(n, n + count).map((v) => Math.floor(v * 20));
    const compare = (a: number, b: number) => key[a] - key[b] || a - b;
    const items = Array.from({ length: n }, (_, i) => i).reverse();
    smallestFirst(items, count, compare);
    const sorted = Array.from({ length: n }, (_, i) => i).sort(compare);
    expect(items.slice(0, count)).toEqual(sorted.slice(0, count));
    expect([...items].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('takes sorted and reverse-sorted runs without going quadratic in the pivot choice', () => {
    const n = 200_000;
    for (const items of [Array.from({ length: n }, (_, i) => i), Array.from({ length: n }, (_, i) => n - 1 - i)]) {
      let comparisons = 0;
      smallestFirst(items, 10, (a, b) => (comparisons++, a - b));
      expect(items.slice(0, 10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(comparisons).toBeLessThan(20 * n);
    }
  });
});

/** Features held whole, as a plain matrix: the solver's contract with nothing formed lazily. */
function denseFeatures(phi: Float64Array, n: number, m: number): LinearFeatures {
  const dot = (w: Float64Array, i: number) => w.reduce((sum, v, c) => sum + v * phi[i * m + c], 0);
  return {
    rows: n,
    width: m,
    values: phi,
    rowAt: (i) => i * m,
    form: () => undefined,
    dots: (w, index, count) => {
      const out = new Float64Array(n).fill(NaN);
      for (let s = 0; s < count; s++) out[index[s]] = dot(w, index[s]);
      return out;
    },
    combination: (weights) => {
      const sum = new Float64Array(m);
      for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) sum[c] += weights[i] * phi[i * m + c];
      return sum;
    },
  };
}

describe('solveLinearOneClass', () => {
  const cols = 5;
  const n = 400;
  const gamma = 0.2;
  const rows = Float64Array.from(values(n * cols, 3), (v) => 4 * v - 2);
  const map = fitNystroem(rows, cols, 30, gamma, 1);
  const m = map.count;
  const nystroem = NystroemFeatures.of(map, rows, cols, gamma);
  const phi = new Float64Array(n * m);
  for (let i = 0; i < n; i++) phi.set(nystroem.values.subarray(nystroem.rowAt(i), nystroem.rowAt(i) + m), i * m);
  afterAll(() => nystroem.release());

  it.each([0.05, 0.3, 0.9])('ν = %s: at most ν·n rows fall below the margin and at least ν·n lie on or below it', (nu) => {
    const tol = 1e-6;
    const { w, rho, converged } = solveLinearOneClass(denseFeatures(phi, n, m), nu, tol);
    expect(converged).toBe(true);
    const decision = Array.from({ length: n }, (_, i) => w.reduce((sum, v, c) => sum + v * phi[i * m + c], 0) - rho);
    expect(decision.filter((d) => d < -1e-4).length).toBeLessThanOrEqual(nu * n);
    expect(decision.filter((d) => d <= 1e-4).length).toBeGreaterThanOrEqual(nu * n);
  });

  it('reaches the same optimum whether the rows are held whole or formed only as pairs need them', () => {
    const lazy = NystroemFeatures.of(map, rows, cols, gamma);
    try {
      const fromLazy = solveLinearOneClass(lazy, 0.1, 1e-3);
      const fromDense = solveLinearOneClass(denseFeatures(phi, n, m), 0.1, 1e-3);
      expect(Math.abs(fromLazy.rho - fromDense.rho)).toBeLessThanOrEqual(1e-3 * Math.abs(fromDense.rho));
      fromDense.w.forEach((v, c) => expect(Math.abs(fromLazy.w[c] - v)).toBeLessThanOrEqual(1e-3 * Math.max(1, Math.abs(v))));
      // The sweeps went through k(x, L): only rows that were paired up were formed.
      expect(lazy.formedRows).toBeGreaterThan(0);
      expect(lazy.formedRows).toBeLessThan(n / 2);
    } finally {
      lazy.release();
    }
  });
});
