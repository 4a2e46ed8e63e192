import { FeatureMatrix } from '../features/feature-matrix';
import { IsolationForestModel } from './isolation-forest-model';

/**
 * E[h(x)]: the mean over trees of the leaf path length reached by each row.
 * `x <= threshold` goes left and everything else, NaN included, goes right: the same rule as
 * onnxruntime's BRANCH_LEQ without missing-value tracking, so both scorers route NaN identically.
 */
export function meanPathLengths(model: IsolationForestModel, matrix: FeatureMatrix, out?: Float64Array): Float64Array {
  if (matrix.cols !== model.nFeatures) {
    throw new RangeError(`matrix has ${matrix.cols} columns, the model was trained on ${model.nFeatures}`);
  }
  const result = out ?? new Float64Array(matrix.rows);
  const { feature, threshold, left, right, pathLength } = model.nodes;
  const roots = model.treeRoots;
  const nTrees = roots.length;
  const { data, cols, rows } = matrix;
  // Tree-major within blocks of rows: one tree's nodes stay in L1 while a block of rows walks it,
  // instead of every row dragging all trees through the cache.
  for (let blockStart = 0; blockStart < rows; blockStart += ROW_BLOCK) {
    const blockEnd = Math.min(blockStart + ROW_BLOCK, rows);
    result.fill(0, blockStart, blockEnd);
    for (let t = 0; t < nTrees; t++) {
      const root = roots[t];
      for (let r = blockStart; r < blockEnd; r++) {
        const base = r * cols;
        let node = root;
        let f = feature[node];
        while (f >= 0) {
          node = data[base + f] <= threshold[node] ? left[node] : right[node];
          f = feature[node];
        }
        result[r] += pathLength[node];
      }
    }
    for (let r = blockStart; r < blockEnd; r++) result[r] /= nTrees;
  }
  return result;
}

const ROW_BLOCK = 256;

/** sklearn's score_samples: −2^(−E[h(x)] / c(max_samples)); lower means more anomalous, in [−1, 0). */
export function scoreFromMeanPathLength(meanPathLength: number, normaliser: number): number {
  return -Math.pow(2, -meanPathLength / normaliser);
}
