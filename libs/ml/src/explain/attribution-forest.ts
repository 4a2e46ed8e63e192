import { onnx } from 'onnx-proto';
import { ONNX_INPUT } from '../onnx/export-onnx';
import { onnxMetadataOf, OnnxModelMetadata } from '../onnx/onnx-metadata';
import { ML_DOMAIN } from '../onnx/tree-ensemble-node';
import { averagePathLength } from '../forest/average-path-length';
import { leafSize } from './leaf-size';

/**
 * The trees of an exported model, unpadded, as flat arrays with absolute node indices (node i of the
 * forest is `feature[i], threshold[i], left[i], right[i]`), plus what attribution needs beyond scoring:
 * each leaf's depth and the number of training rows (of its tree's subsample) that reached it.
 */
export interface AttributionForest {
  readonly metadata: OnnxModelMetadata;
  readonly nFeatures: number;
  /** Rows each tree was grown on (sklearn's max_samples_): the leaf sizes of every tree add up to it. */
  readonly maxSamples: number;
  /** c(max_samples): the mean path length the anomaly score is normalised by. */
  readonly referencePathLength: number;
  /** Index of each tree's root, in tree order. */
  readonly treeRoots: Int32Array;
  /** Split feature, or −1 on a leaf. */
  readonly feature: Int32Array;
  /** float32, as onnxruntime and the kernel compare. */
  readonly threshold: Float32Array;
  /** Absolute index of the `x <= threshold` child (BRANCH_LEQ's true branch). */
  readonly left: Int32Array;
  /** Absolute index of the other child; NaN fails `<=` and comes here. */
  readonly right: Int32Array;
  /** On a leaf, the path length depth + c(size) exactly as the graph stores it (a float32 value); 0 on splits. */
  readonly pathLength: Float64Array;
  /** On a leaf, the training rows that reached it; 0 on splits. */
  readonly size: Int32Array;
  /** Depth of the deepest leaf: the longest list of splits a path can take. */
  readonly maxDepth: number;
}

export class AttributionModelError extends Error {
  override readonly name = 'AttributionModelError';
}

/** The nodes exportOnnx writes after the ensemble, in order: anything else is not our graph. */
const EXPORTED_TAIL = ['Reshape', 'Mul', 'Exp', 'Neg', 'Sub', 'Less', 'Where'];

/**
 * Reads the TreeEnsembleRegressor of a flowsentry ONNX model back into trees. Only the semantics the
 * scorers implement are accepted (BRANCH_LEQ, one weight per leaf, AVERAGE, no missing-value tracks),
 * so a path walked here is the path scored. Leaf sizes are not in the graph; they are recovered from the
 * leaf weight, which is depth + c(size) with c strictly increasing, and checked to add up to max_samples.
 */
export function attributionForestFromOnnx(bytes: Uint8Array): AttributionForest {
  let model: onnx.ModelProto;
  let metadata: OnnxModelMetadata;
  try {
    model = onnx.ModelProto.decode(bytes);
    metadata = onnxMetadataOf(model);
  } catch (error) {
    throw new AttributionModelError(`model bytes are not a flowsentry ONNX model (${bytes.length} bytes): ${error instanceof Error ? error.message : String(error)}`);
  }
  const [ensemble, ...tail] = model.graph?.node ?? [];
  const opTypes = tail.map((node) => node.opType ?? '');
  if (ensemble?.opType !== 'TreeEnsembleRegressor' || ensemble.domain !== ML_DOMAIN || ensemble.input?.[0] !== ONNX_INPUT || opTypes.join() !== EXPORTED_TAIL.join()) {
    throw new AttributionModelError(`graph is not the shape exportOnnx writes (TreeEnsembleRegressor then ${EXPORTED_TAIL.join(', ')}); got ${[ensemble?.opType, ...opTypes].join(', ')}`);
  }
  const attributes = new Map((ensemble.attribute ?? []).map((attribute) => [attribute.name ?? '', attribute]));
  const decoder = new TextDecoder();
  const text = (key: string): string => decoder.decode(attributes.get(key)?.s ?? new Uint8Array());
  const ints = (key: string): number[] => (attributes.get(key)?.ints ?? []).map(Number);
  const floats = (key: string): number[] => attributes.get(key)?.floats ?? [];
  const modes = (attributes.get('nodes_modes')?.strings ?? []).map((s) => decoder.decode(s));

  const unsupported: string[] = [];
  if (text('aggregate_function') !== 'AVERAGE') unsupported.push(`aggregate_function ${text('aggregate_function') || 'SUM'}`);
  if ((text('post_transform') || 'NONE') !== 'NONE') unsupported.push(`post_transform ${text('post_transform')}`);
  if (Number(attributes.get('n_targets')?.i ?? 0) !== 1) unsupported.push('n_targets other than 1');
  if (floats('base_values').some((value) => value !== 0)) unsupported.push('base_values');
  if (ints('nodes_missing_value_tracks_true').some((track) => track !== 0)) unsupported.push('nodes_missing_value_tracks_true');
  if (ints('target_ids').some((target) => target !== 0)) unsupported.push('target ids other than 0');
  const otherModes = [...new Set(modes.filter((mode) => mode !== 'BRANCH_LEQ' && mode !== 'LEAF'))];
  if (otherModes.length > 0) unsupported.push(`node modes ${otherModes.join(', ')}`);
  if (unsupported.length > 0) throw new AttributionModelError(`path attribution does not implement ${unsupported.join('; ')}`);

  const nFeatures = metadata.featureNames.length;
  const maxSamples = Number(metadata.params['maxSamples']);
  if (!Number.isInteger(maxSamples) || maxSamples < 1) throw new AttributionModelError(`model params carry no integer maxSamples (got ${String(metadata.params['maxSamples'])})`);

  const layout = layOut(ints('nodes_treeids'), ints('nodes_nodeids'), modes);
  const count = modes.length;
  const feature = new Int32Array(count).fill(-1);
  const threshold = new Float32Array(count);
  const left = new Int32Array(count).fill(-1);
  const right = new Int32Array(count).fill(-1);
  const pathLength = new Float64Array(count);
  const weighted = new Uint8Array(count);
  const featureIds = ints('nodes_featureids');
  const values = floats('nodes_values');
  const trueIds = ints('nodes_truenodeids');
  const falseIds = ints('nodes_falsenodeids');
  if ([featureIds, values, trueIds, falseIds].some((array) => array.length !== count)) {
    throw new AttributionModelError(`node attributes have different lengths (${[count, featureIds.length, values.length, trueIds.length, falseIds.length].join(', ')})`);
  }
  for (let i = 0; i < count; i++) {
    const at = layout.index(layout.treeIds[i], layout.nodeIds[i]);
    if (modes[i] === 'LEAF') continue;
    if (!Number.isInteger(featureIds[i]) || featureIds[i] < 0 || featureIds[i] >= nFeatures) {
      throw new AttributionModelError(`a split reads feature ${featureIds[i]}, the model has ${nFeatures} features`);
    }
    feature[at] = featureIds[i];
    threshold[at] = values[i];
    left[at] = layout.index(layout.treeIds[i], trueIds[i]);
    right[at] = layout.index(layout.treeIds[i], falseIds[i]);
  }
  const targetTrees = ints('target_treeids');
  const targetNodes = ints('target_nodeids');
  const weights = floats('target_weights');
  if (targetNodes.length !== targetTrees.length || weights.length !== targetTrees.length) {
    throw new AttributionModelError(`target attributes have different lengths (${[targetTrees.length, targetNodes.length, weights.length].join(', ')})`);
  }
  for (let i = 0; i < targetTrees.length; i++) {
    const at = layout.index(targetTrees[i], targetNodes[i]);
    if (feature[at] >= 0) throw new AttributionModelError(`target weight ${i} points at tree ${targetTrees[i]} node ${targetNodes[i]}, which is not a leaf`);
    if (weighted[at]) throw new AttributionModelError(`leaf ${targetNodes[i]} of tree ${targetTrees[i]} has more than one weight`);
    pathLength[at] = weights[i];
    weighted[at] = 1;
  }

  const size = new Int32Array(count);
  const seen = new Uint8Array(count);
  let maxDepth = 0;
  layout.roots.forEach((root, t) => {
    let total = 0;
    walkTree(root, feature, left, right, seen, (leaf, depth) => {
      maxDepth = Math.max(maxDepth, depth);
      if (!weighted[leaf]) throw new AttributionModelError(`a leaf of tree ${t} has no weight`);
      const n = leafSize(pathLength[leaf], depth, maxSamples);
      if (n === undefined) throw new AttributionModelError(`leaf weight ${pathLength[leaf]} at depth ${depth} of tree ${t} is not depth + c(n) for any n ≤ ${maxSamples}`);
      size[leaf] = n;
      total += n;
    });
    if (total !== maxSamples) throw new AttributionModelError(`the leaves of tree ${t} hold ${total} training rows, not max_samples ${maxSamples}`);
  });

  return { metadata, nFeatures, maxSamples, referencePathLength: averagePathLength(maxSamples), treeRoots: layout.roots, feature, threshold, left, right, pathLength, size, maxDepth };
}

interface Layout {
  readonly treeIds: number[];
  readonly nodeIds: number[];
  readonly roots: Int32Array;
  /** Absolute index of (tree, local node id); throws if it does not exist. */
  index(tree: number, node: number): number;
}

/** Trees in id order, each tree's nodes in local id order, so the layout does not depend on attribute order. */
function layOut(treeIds: number[], nodeIds: number[], modes: string[]): Layout {
  if (treeIds.length !== modes.length || nodeIds.length !== modes.length) {
    throw new AttributionModelError(`node attributes have different lengths (${[treeIds.length, nodeIds.length, modes.length].join(', ')})`);
  }
  const perTree = new Map<number, Set<number>>();
  for (let i = 0; i < treeIds.length; i++) {
    const ids = perTree.get(treeIds[i]) ?? perTree.set(treeIds[i], new Set()).get(treeIds[i])!;
    if (ids.has(nodeIds[i])) throw new AttributionModelError(`tree ${treeIds[i]} has node ${nodeIds[i]} twice`);
    ids.add(nodeIds[i]);
  }
  const trees = [...perTree.keys()].sort((a, b) => a - b);
  if (trees.length === 0) throw new AttributionModelError('the ensemble has no trees');
  if (trees.some((id, position) => id !== position)) throw new AttributionModelError(`tree ids must run 0…${trees.length - 1}`);
  const offsets: Map<number, number>[] = [];
  const roots = new Int32Array(trees.length);
  let next = 0;
  for (const tree of trees) {
    const ids = [...perTree.get(tree)!].sort((a, b) => a - b);
    if (ids[0] !== 0) throw new AttributionModelError(`tree ${tree} has no root node 0`);
    roots[tree] = next;
    offsets.push(new Map(ids.map((id) => [id, next++])));
  }
  return {
    treeIds,
    nodeIds,
    roots,
    index(tree: number, node: number): number {
      const at = offsets[tree]?.get(node);
      if (at === undefined) throw new AttributionModelError(`tree ${tree} has no node ${node}`);
      return at;
    },
  };
}

/** Visits every leaf under `root` with its depth; a node reached twice (a cycle, a shared child) is refused. */
function walkTree(root: number, feature: Int32Array, left: Int32Array, right: Int32Array, seen: Uint8Array, visit: (leaf: number, depth: number) => void): void {
  const stack: Array<[number, number]> = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (seen[node]) throw new AttributionModelError(`node ${node} is reached twice: the trees are not trees`);
    seen[node] = 1;
    if (feature[node] < 0) visit(node, depth);
    else stack.push([right[node], depth + 1], [left[node], depth + 1]);
  }
}
