import { featureMatrix, FeatureMatrix } from '../features/feature-matrix';
import { sampleWithoutReplacement } from '../forest/row-sampling';
import { SeededRandom } from '../forest/seeded-random';

/**
 * `maxSamples` rows drawn without replacement (all rows when there are no more than that), kept in
 * their original order so the result depends only on (rows, maxSamples, seed). The exact distance and
 * kernel methods cost O(n²) to train; this is how they take large data.
 */
export function trainingSubsample(matrix: FeatureMatrix, maxSamples: number, seed: number): FeatureMatrix {
  if (matrix.rows <= maxSamples) return matrix;
  const rows = sampleWithoutReplacement(matrix.rows, maxSamples, new SeededRandom(seed)).sort();
  const data = new Float32Array(maxSamples * matrix.cols);
  for (let i = 0; i < rows.length; i++) data.set(matrix.data.subarray(rows[i] * matrix.cols, (rows[i] + 1) * matrix.cols), i * matrix.cols);
  return featureMatrix(data, matrix.cols);
}

/** 'all' or a positive integer, resolved against the rows available. */
export function resolveMaxSamples(requested: 'all' | number | undefined, rows: number): number {
  if (requested === undefined || requested === 'all') return rows;
  if (!Number.isInteger(requested) || requested < 2) throw new RangeError(`maxSamples must be 'all' or an integer ≥ 2, got ${requested}`);
  return Math.min(requested, rows);
}

/** A uint32 seed, the same rule as the forest's. */
export function resolveSeed(seed: number | undefined, fallback: number): number {
  const value = seed ?? fallback;
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`seed must be a uint32, got ${value}`);
  return value;
}
