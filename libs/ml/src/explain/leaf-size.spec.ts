import { averagePathLength } from '../forest/average-path-length';
import { leafSize } from './leaf-size';

describe('leafSize', () => {
  it('recovers every leaf size from its float32 weight depth + c(n), at every depth', () => {
    for (const [maxSamples, depths] of [[2, [0, 1]], [256, [0, 1, 2, 3, 4, 5, 6, 7, 8]], [4096, [0, 6, 12]]] as const) {
      for (const depth of depths) {
        for (let n = 1; n <= maxSamples; n++) {
          expect(leafSize(Math.fround(depth + averagePathLength(n)), depth, maxSamples)).toBe(n);
        }
      }
    }
  });

  it('finds no size for a weight that is not depth + c(n) with n ≤ max_samples', () => {
    expect(leafSize(Math.fround(3 + (averagePathLength(10) + averagePathLength(11)) / 2), 3, 256)).toBeUndefined();
    expect(leafSize(Math.fround(8 + averagePathLength(300)), 8, 256)).toBeUndefined();
    expect(leafSize(2.5, 3, 256)).toBeUndefined();
  });
});
