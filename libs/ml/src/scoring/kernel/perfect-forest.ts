import { onnx } from 'onnx-proto';
import { ONNX_INPUT } from '../../onnx/export-onnx';
import { onnxMetadataOf, OnnxModelMetadata } from '../../onnx/onnx-metadata';
import { ML_DOMAIN } from '../../onnx/tree-ensemble-node';

/** Deeper trees pad to 2^depth leaves each; past this the padded forest stops fitting in cache. */
export const MAX_KERNEL_DEPTH = 14;

/** The nodes exportOnnx writes after the ensemble, in order; the kernel reproduces exactly this arithmetic. */
const EXPORTED_TAIL = ['Reshape', 'Mul', 'Exp', 'Neg', 'Sub', 'Less', 'Where'];

/**
 * The ensemble of an exported model with every tree padded to one depth D and laid out as an implicit
 * binary heap: node k (1-based) has children 2k (x ≤ threshold) and 2k+1 (otherwise, NaN included), and
 * after exactly D steps a walk lands on heap index 2^D…2^(D+1)−1, the leaf. A leaf above depth D becomes a
 * subtree whose splits all lead to copies of its weight, so every walk takes the same number of steps
 * and the kernel needs no branch on the data.
 */
export interface PerfectForest {
  readonly metadata: OnnxModelMetadata;
  readonly nFeatures: number;
  readonly trees: number;
  readonly depth: number;
  /** Per tree, 2^D − 1 internal nodes of 8 bytes: i32 byte offset of the feature in a row, f32 threshold. */
  readonly nodes: ArrayBuffer;
  /** Per tree, 2^D leaf weights (path lengths), in heap order. */
  readonly leaves: Float64Array;
  /** score_samples = −exp(mean leaf weight × exponentScale). */
  readonly exponentScale: number;
  /** decision_function = score_samples − offset. */
  readonly offset: number;
}

export class ForestKernelError extends Error {
  override readonly name = 'ForestKernelError';
}

/**
 * Reads the tree ensemble and the constants straight from the ONNX bytes, so the kernel scores the
 * registered artifact itself rather than a separate copy of the model. Anything but the graph exportOnnx
 * writes (BRANCH_LEQ splits, one weight per leaf, AVERAGE, no missing-value tracks) is refused, because
 * the kernel implements only those semantics.
 */
export function perfectForestFromOnnx(bytes: Uint8Array): PerfectForest {
  let model: onnx.ModelProto;
  let metadata: OnnxModelMetadata;
  try {
    model = onnx.ModelProto.decode(bytes);
    metadata = onnxMetadataOf(model);
  } catch (error) {
    throw new ForestKernelError(`model bytes are not a flowsentry ONNX model (${bytes.length} bytes): ${error instanceof Error ? error.message : String(error)}`);
  }
  const graph = model.graph;
  const [ensemble, ...tail] = graph?.node ?? [];
  const opTypes = tail.map((node) => node.opType ?? '');
  if (!graph || ensemble?.opType !== 'TreeEnsembleRegressor' || ensemble.domain !== ML_DOMAIN || ensemble.input?.[0] !== ONNX_INPUT || opTypes.join() !== EXPORTED_TAIL.join()) {
    throw new ForestKernelError(`graph is not the shape exportOnnx writes (TreeEnsembleRegressor then ${EXPORTED_TAIL.join(', ')}); got ${[ensemble?.opType, ...opTypes].join(', ')}`);
  }
  const attributes = new Map((ensemble.attribute ?? []).map((attribute) => [attribute.name ?? '', attribute]));
  const text = (key: string): string => new TextDecoder().decode(attributes.get(key)?.s ?? new Uint8Array());
  const ints = (key: string): number[] => (attributes.get(key)?.ints ?? []).map(Number);
  const floats = (key: string): number[] => attributes.get(key)?.floats ?? [];
  const modes = (attributes.get('nodes_modes')?.strings ?? []).map((s) => new TextDecoder().decode(s));

  const unsupported: string[] = [];
  if (text('aggregate_function') !== 'AVERAGE') unsupported.push(`aggregate_function ${text('aggregate_function') || 'SUM'}`);
  if ((text('post_transform') || 'NONE') !== 'NONE') unsupported.push(`post_transform ${text('post_transform')}`);
  if (Number(attributes.get('n_targets')?.i ?? 0) !== 1) unsupported.push('n_targets other than 1');
  if (floats('base_values').some((value) => value !== 0)) unsupported.push('base_values');
  if (ints('nodes_missing_value_tracks_true').some((track) => track !== 0)) unsupported.push('nodes_missing_value_tracks_true');
  if (ints('target_ids').some((target) => target !== 0)) unsupported.push('target ids other than 0');
  const otherModes = [...new Set(modes.filter((mode) => mode !== 'BRANCH_LEQ' && mode !== 'LEAF'))];
  if (otherModes.length > 0) unsupported.push(`node modes ${otherModes.join(', ')}`);
  if (unsupported.length > 0) throw new ForestKernelError(`the forest kernel does not implement ${unsupported.join('; ')}`);

  const trees = buildTrees(ints('nodes_treeids'), ints('nodes_nodeids'), ints('nodes_featureids'), floats('nodes_values'), ints('nodes_truenodeids'), ints('nodes_falsenodeids'), modes);
  addLeafWeights(trees, ints('target_treeids'), ints('target_nodeids'), floats('target_weights'));
  const nFeatures = metadata.featureNames.length;
  const depth = Math.max(1, ...trees.map((tree) => treeDepth(tree, 0)));
  if (depth > MAX_KERNEL_DEPTH) throw new ForestKernelError(`trees are ${depth} levels deep; the forest kernel pads to at most ${MAX_KERNEL_DEPTH} (use OnnxScorer)`);
  for (const tree of trees) {
    for (const node of tree.values()) {
      if (!node.leaf && node.feature >= nFeatures) throw new ForestKernelError(`a split reads feature ${node.feature}, the model has ${nFeatures} features`);
    }
  }

  const internal = 2 ** depth - 1;
  const leafCount = 2 ** depth;
  const nodes = new ArrayBuffer(trees.length * internal * 8);
  const featureOffsets = new Int32Array(nodes);
  const thresholds = new Float32Array(nodes);
  const leaves = new Float64Array(trees.length * leafCount);
  trees.forEach((tree, t) => {
    const place = (id: number, heap: number, level: number): void => {
      const node = tree.get(id)!;
      if (level === depth) {
        if (!node.leaf) throw new ForestKernelError(`tree ${t} is deeper than its measured depth ${depth}`);
        leaves[t * leafCount + heap - leafCount] = node.weight;
        return;
      }
      const slot = (t * internal + heap - 1) * 2;
      // A padding split compares feature 0 with 0; both sides lead to the same leaf weight, so either outcome is right.
      featureOffsets[slot] = node.leaf ? 0 : node.feature * 4;
      thresholds[slot + 1] = node.leaf ? 0 : node.threshold;
      place(node.leaf ? id : node.trueId, 2 * heap, level + 1);
      place(node.leaf ? id : node.falseId, 2 * heap + 1, level + 1);
    };
    place(0, 1, 0);
  });

  return {
    metadata,
    nFeatures,
    trees: trees.length,
    depth,
    nodes,
    leaves,
    exponentScale: scalarInitializer(graph, 'exponent_scale'),
    offset: scalarInitializer(graph, 'offset'),
  };
}

type TreeNode = { leaf: true; weight: number; seen: boolean } | { leaf: false; feature: number; threshold: number; trueId: number; falseId: number };

function buildTrees(treeIds: number[], nodeIds: number[], features: number[], values: number[], trueIds: number[], falseIds: number[], modes: string[]): Map<number, TreeNode>[] {
  const lengths = [nodeIds.length, features.length, values.length, trueIds.length, falseIds.length, modes.length];
  if (lengths.some((length) => length !== treeIds.length)) throw new ForestKernelError(`node attributes have different lengths (${[treeIds.length, ...lengths].join(', ')})`);
  const byTree = new Map<number, Map<number, TreeNode>>();
  for (let i = 0; i < treeIds.length; i++) {
    const tree = byTree.get(treeIds[i]) ?? byTree.set(treeIds[i], new Map()).get(treeIds[i])!;
    tree.set(nodeIds[i], modes[i] === 'LEAF' ? { leaf: true, weight: 0, seen: false } : { leaf: false, feature: features[i], threshold: values[i], trueId: trueIds[i], falseId: falseIds[i] });
  }
  const ids = [...byTree.keys()].sort((a, b) => a - b);
  if (ids.some((id, index) => id !== index)) throw new ForestKernelError(`tree ids must run 0…${ids.length - 1}`);
  return ids.map((id) => {
    const tree = byTree.get(id)!;
    if (!tree.has(0)) throw new ForestKernelError(`tree ${id} has no root node 0`);
    return tree;
  });
}

function addLeafWeights(trees: Map<number, TreeNode>[], treeIds: number[], nodeIds: number[], weights: number[]): void {
  for (let i = 0; i < treeIds.length; i++) {
    const node = trees[treeIds[i]]?.get(nodeIds[i]);
    if (!node?.leaf) throw new ForestKernelError(`target weight ${i} points at tree ${treeIds[i]} node ${nodeIds[i]}, which is not a leaf`);
    if (node.seen) throw new ForestKernelError(`leaf ${nodeIds[i]} of tree ${treeIds[i]} has more than one weight`);
    node.weight = weights[i];
    node.seen = true;
  }
}

/** Depth of the deepest leaf under `id`; also rejects children that do not exist and cycles (by bounding depth). */
function treeDepth(tree: Map<number, TreeNode>, id: number, level = 0): number {
  const node = tree.get(id);
  if (!node) throw new ForestKernelError(`a split points at node ${id}, which does not exist`);
  if (node.leaf) {
    if (!node.seen) throw new ForestKernelError(`leaf ${id} has no weight`);
    return level;
  }
  if (level > MAX_KERNEL_DEPTH) return level;
  return Math.max(treeDepth(tree, node.trueId, level + 1), treeDepth(tree, node.falseId, level + 1));
}

function scalarInitializer(graph: onnx.IGraphProto, name: string): number {
  const tensor = graph.initializer?.find((candidate) => candidate.name === name);
  const value = tensor?.floatData?.[0];
  if (typeof value !== 'number') throw new ForestKernelError(`initializer '${name}' is missing or not a float scalar`);
  return value;
}
