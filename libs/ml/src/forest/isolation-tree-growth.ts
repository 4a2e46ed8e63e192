import { averagePathLength } from './average-path-length';
import { ForestNodeBuffer } from './forest-node-buffer';
import { SeededRandom } from './seeded-random';

/** scikit-learn's FEATURE_THRESHOLD: a feature whose range in the node is at most this is treated as constant. */
const CONSTANT_FEATURE_RANGE = 1e-7;

export interface TreeSample {
  /** Subsampled rows, row-major, `rows × cols`. */
  readonly values: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/**
 * Grows one isolation tree (Liu, Ting & Zhou 2008) the way scikit-learn's ExtraTreeRegressor with
 * max_features=1 does inside IsolationForest: at each node draw features uniformly among those not yet
 * found constant in this node until one varies, split uniformly at random in (min, max), and stop at the
 * height limit, at a single row, or when every candidate feature is constant (duplicates).
 * Returns the index of the root in `buffer`.
 */
export function growIsolationTree(
  sample: TreeSample,
  features: Int32Array,
  maxDepth: number,
  random: SeededRandom,
  buffer: ForestNodeBuffer,
): number {
  const { values, cols } = sample;
  const rows = new Int32Array(sample.rows);
  for (let i = 0; i < rows.length; i++) rows[i] = i;
  const candidatesAtDepth: Int32Array[] = [];
  for (let d = 0; d <= maxDepth; d++) candidatesAtDepth.push(new Int32Array(features.length));

  const grow = (start: number, end: number, depth: number): number => {
    const n = end - start;
    if (depth >= maxDepth || n <= 1) return buffer.addLeaf(n, depth + averagePathLength(n));

    const candidates = candidatesAtDepth[depth];
    candidates.set(features);
    let remaining = candidates.length;
    while (remaining > 0) {
      const pick = random.nextInt(remaining);
      const f = candidates[pick];
      let min = Infinity;
      let max = -Infinity;
      for (let i = start; i < end; i++) {
        const v = values[rows[i] * cols + f];
        if (v < min) min = v;
        if (v > max) max = v;
      }
      if (max <= min + CONSTANT_FEATURE_RANGE) {
        candidates[pick] = candidates[remaining - 1];
        remaining--;
        continue;
      }
      // Rounded to float32 so the stored threshold is exactly what ONNX compares against; min <= t < max
      // keeps both children non-empty (sklearn likewise falls back to min when the draw lands on max).
      let threshold = Math.fround(min + random.nextDouble() * (max - min));
      if (threshold >= max) threshold = min;

      let mid = start;
      for (let i = start; i < end; i++) {
        const r = rows[i];
        if (values[r * cols + f] <= threshold) {
          rows[i] = rows[mid];
          rows[mid++] = r;
        }
      }
      const node = buffer.addSplit(n, f, threshold);
      const left = grow(start, mid, depth + 1);
      const right = grow(mid, end, depth + 1);
      buffer.linkChildren(node, left, right);
      return node;
    }
    return buffer.addLeaf(n, depth + averagePathLength(n));
  };

  return grow(0, rows.length, 0);
}
