import { averagePathLength } from './average-path-length';

describe('averagePathLength c(n)', () => {
  it('is 0 for a leaf holding at most one row and 1 for two rows, as in sklearn', () => {
    expect(averagePathLength(0)).toBe(0);
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
  });

  it('follows 2·H(n−1) − 2(n−1)/n with H(i) ≈ ln(i) + γ beyond two rows', () => {
    expect(averagePathLength(3)).toBeCloseTo(2 * (Math.log(2) + 0.5772156649) - 4 / 3, 10);
    expect(averagePathLength(256)).toBeCloseTo(10.244770920116851, 10);
  });
});
