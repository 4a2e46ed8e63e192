/** Parameters after resolution against the training data (what was actually used, not what was asked for). */
export interface IsolationForestParams {
  readonly nEstimators: number;
  /** Rows drawn per tree: sklearn's `max_samples_`. */
  readonly maxSamples: number;
  /** Features each tree may split on: sklearn's `max_features_` as a count. */
  readonly maxFeatures: number;
  readonly bootstrap: boolean;
  readonly contamination: 'auto' | number;
  /** Height limit ceil(log2(maxSamples)). */
  readonly maxDepth: number;
  readonly seed: number;
}

/**
 * All trees in one set of flat arrays (structure of arrays): node i of the forest is
 * `feature[i], threshold[i], left[i], right[i]`. A leaf has `feature[i] === -1` and carries its
 * precomputed path length `depth + c(size)`, so scoring is a pure walk plus one add per tree.
 */
export interface ForestNodes {
  readonly feature: Int32Array;
  /** float32 so a split decides identically in TS and in onnxruntime, whose tree thresholds are float. */
  readonly threshold: Float32Array;
  /** Absolute node index of the `x <= threshold` child. */
  readonly left: Int32Array;
  /** Absolute node index of the `x > threshold` child (NaN also goes here, as in onnxruntime). */
  readonly right: Int32Array;
  /** Training rows that reached the node (after subsampling). */
  readonly size: Int32Array;
  /** Leaf path length depth + c(size); 0 on internal nodes. */
  readonly pathLength: Float64Array;
}

export interface IsolationForestModel {
  readonly nFeatures: number;
  readonly params: IsolationForestParams;
  /** sklearn's `offset_`: decision_function = score_samples - offset. */
  readonly offset: number;
  /** Index in `nodes` of each tree's root, in tree order. */
  readonly treeRoots: Int32Array;
  readonly nodes: ForestNodes;
}
