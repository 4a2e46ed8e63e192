import { smallestFirst } from './linear-one-class-solver';

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
