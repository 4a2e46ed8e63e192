import { gaussian } from '../../fixtures/scoring-data';
import { SeededRandom } from '../forest/seeded-random';
import { selectLandmarks } from './landmark-selection';

function rowsOf(count: number, cols: number, seed: number): Float64Array {
  const random = new SeededRandom(seed);
  return Float64Array.from({ length: count * cols }, () => gaussian(random) / 100);
}

function distance2(rows: Float64Array, cols: number, a: number, b: number): number {
  let sum = 0;
  for (let c = 0; c < cols; c++) sum += (rows[a * cols + c] - rows[b * cols + c]) ** 2;
  return sum;
}

/** The largest distance from a row to its nearest landmark. */
function coveringRadius2(rows: Float64Array, cols: number, landmarks: Int32Array): number {
  let radius = 0;
  for (let i = 0; i < rows.length / cols; i++) radius = Math.max(radius, Math.min(...Array.from(landmarks, (l) => distance2(rows, cols, i, l))));
  return radius;
}

describe('selectLandmarks', () => {
  const cols = 5;
  const rows = rowsOf(400, cols, 3);

  it('uniform: the asked number of distinct rows, ascending, the same for a seed', () => {
    const picks = selectLandmarks(rows, cols, 40, 9, 'uniform');
    expect(picks).toHaveLength(40);
    expect(new Set(picks).size).toBe(40);
    expect(Array.from(picks)).toEqual(Array.from(picks).sort((a, b) => a - b));
    expect(Array.from(selectLandmarks(rows, cols, 40, 9, 'uniform'))).toEqual(Array.from(picks));
    expect(Array.from(selectLandmarks(rows, cols, 1000, 9, 'uniform'))).toEqual(Array.from({ length: 400 }, (_, i) => i));
  });

  it('farthest-first: no row lies farther from its nearest landmark than any two landmarks lie apart (k-center traversal)', () => {
    const picks = selectLandmarks(rows, cols, 40, 9, 'farthest-first');
    expect(new Set(picks).size).toBe(40);
    let closestPair = Infinity;
    for (const a of picks) for (const b of picks) if (a < b) closestPair = Math.min(closestPair, distance2(rows, cols, a, b));
    const radius = coveringRadius2(rows, cols, picks);
    expect(radius).toBeLessThanOrEqual(closestPair);
    // The traversal bounds the radius at twice the best possible; uniform rows leave far more uncovered.
    expect(radius).toBeLessThan(coveringRadius2(rows, cols, selectLandmarks(rows, cols, 40, 9, 'uniform')));
  });

  it('farthest-first picks every outlying row, which uniform landmarks would most likely miss', () => {
    const withOutliers = Float64Array.from(rows);
    const outliers = [17, 230, 391];
    outliers.forEach((r, k) => withOutliers.fill(50 * (k + 1), r * cols, (r + 1) * cols));
    expect(Array.from(selectLandmarks(withOutliers, cols, 10, 2, 'farthest-first'))).toEqual(expect.arrayContaining(outliers));
  });

  it('farthest-first is deterministic for a seed, starts elsewhere for another, and stops once duplicated rows are all covered', () => {
    const a = Array.from(selectLandmarks(rows, cols, 20, 4, 'farthest-first'));
    expect(Array.from(selectLandmarks(rows, cols, 20, 4, 'farthest-first'))).toEqual(a);
    expect(Array.from(selectLandmarks(rows, cols, 20, 5, 'farthest-first'))).not.toEqual(a);
    // Three distinct rows, each repeated: three landmarks, whatever was asked for.
    const repeated = Float64Array.from({ length: 60 * cols }, (_, i) => Math.floor(i / cols) % 3);
    const picks = selectLandmarks(repeated, cols, 20, 1, 'farthest-first');
    expect(new Set(Array.from(picks, (r) => r % 3)).size).toBe(3);
    expect(picks).toHaveLength(3);
  });
});
