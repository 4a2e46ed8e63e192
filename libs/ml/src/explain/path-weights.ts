import { AttributionForest } from './attribution-forest';
import { isolationWeight } from './isolation-weight';

/**
 * Walks one row (`data[base…base+nFeatures)`) down every tree and adds, for every split on its path,
 * the path's isolation weight to `out[feature]`. Routing is the scorers' (meanPathLengths, onnxruntime's
 * BRANCH_LEQ, the kernel): float32 `x <= threshold` goes left, anything else, NaN included, goes right.
 * Returns the mean path length over trees, E[h(x)], the very quantity the anomaly score is computed from,
 * so the paths explained can be checked to be the paths scored.
 */
export function accumulatePathWeights(forest: AttributionForest, data: Float32Array, base: number, out: Float64Array): number {
  const { feature, threshold, left, right, pathLength, treeRoots, referencePathLength } = forest;
  const splits = new Int32Array(forest.maxDepth);
  let totalPathLength = 0;
  for (let t = 0; t < treeRoots.length; t++) {
    let node = treeRoots[t];
    let depth = 0;
    let f = feature[node];
    while (f >= 0) {
      splits[depth++] = f;
      node = data[base + f] <= threshold[node] ? left[node] : right[node];
      f = feature[node];
    }
    const h = pathLength[node];
    const weight = isolationWeight(h, referencePathLength);
    for (let d = 0; d < depth; d++) out[splits[d]] += weight;
    totalPathLength += h;
  }
  return totalPathLength / treeRoots.length;
}

/**
 * The same sum expected for a row of the training data, computed exactly from the trees: every training
 * row a tree was grown on ends in one of its leaves (that is how the leaves got their sizes), so the
 * expectation over those rows is the sum over leaves of size/max_samples times the leaf path's weights.
 * This is "how much each feature is used on paths in general", in the same units as the row's sum.
 */
export function expectedPathWeights(forest: AttributionForest): Float64Array {
  const { feature, left, right, pathLength, size, treeRoots, maxSamples, nFeatures, referencePathLength } = forest;
  const out = new Float64Array(nFeatures);
  const splits = new Int32Array(forest.maxDepth);
  const visit = (node: number, depth: number): void => {
    const f = feature[node];
    if (f < 0) {
      const share = (size[node] / maxSamples) * isolationWeight(pathLength[node], referencePathLength);
      for (let d = 0; d < depth; d++) out[splits[d]] += share;
      return;
    }
    splits[depth] = f;
    visit(left[node], depth + 1);
    visit(right[node], depth + 1);
  };
  for (let t = 0; t < treeRoots.length; t++) visit(treeRoots[t], 0);
  return out;
}
