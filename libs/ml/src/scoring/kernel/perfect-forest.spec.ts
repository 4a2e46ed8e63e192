import { onnx } from 'onnx-proto';
import { featureMatrix, FeatureMatrix } from '../../features/feature-matrix';
import { averagePathLength } from '../../forest/average-path-length';
import { IsolationForestModel } from '../../forest/isolation-forest-model';
import { identitySpec, randomMatrix } from '../../../fixtures/scoring-data';
import { trainIsolationForest } from '../../forest/train-isolation-forest';
import { exportOnnx } from '../../onnx/export-onnx';
import { MAX_KERNEL_DEPTH, PerfectForest, perfectForestFromOnnx } from './perfect-forest';


const uniformMatrix = (rows: number, cols: number, seed: number): FeatureMatrix => randomMatrix(rows, cols, seed, (random) => random.nextDouble() * 100);

const exported = (model: IsolationForestModel): Uint8Array => exportOnnx(model, identitySpec(model.nFeatures), { modelName: 'perfect', modelVersion: '7' });

/** The leaf weight tree t gives row r, walking the original (unpadded) model. */
function originalLeaf(model: IsolationForestModel, t: number, row: Float32Array): number {
  const { feature, threshold, left, right, pathLength } = model.nodes;
  let node = model.treeRoots[t];
  while (feature[node] >= 0) node = row[feature[node]] <= threshold[node] ? left[node] : right[node];
  return pathLength[node];
}

/** The same through the padded heap, as the kernel walks it. */
function heapLeaf(forest: PerfectForest, t: number, row: Float32Array): number {
  const internal = 2 ** forest.depth - 1;
  const offsets = new Int32Array(forest.nodes);
  const thresholds = new Float32Array(forest.nodes);
  let k = 1;
  for (let level = 0; level < forest.depth; level++) {
    const slot = (t * internal + k - 1) * 2;
    k = 2 * k + (row[offsets[slot] / 4] <= thresholds[slot + 1] ? 0 : 1);
  }
  return forest.leaves[t * 2 ** forest.depth + k - 2 ** forest.depth];
}

function editForest(bytes: Uint8Array, edit: (node: onnx.INodeProto, graph: onnx.IGraphProto) => void): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  edit(model.graph!.node![0], model.graph!);
  return onnx.ModelProto.encode(model).finish();
}

function setAttribute(node: onnx.INodeProto, attribute: onnx.IAttributeProto): void {
  node.attribute = [...(node.attribute ?? []).filter((a) => a.name !== attribute.name), attribute];
}

describe('perfectForestFromOnnx', () => {
  const training = uniformMatrix(2000, 4, 1);
  const model = trainIsolationForest(training, { seed: 4, contamination: 0.05 });
  const bytes = exported(model);
  const forest = perfectForestFromOnnx(bytes);

  it('pads every tree to the deepest one, with the constants of the graph and its metadata', () => {
    expect(forest.trees).toBe(100);
    expect(forest.depth).toBe(model.params.maxDepth);
    expect(forest.nodes.byteLength).toBe(100 * (2 ** forest.depth - 1) * 8);
    expect(forest.leaves).toHaveLength(100 * 2 ** forest.depth);
    expect(forest.nFeatures).toBe(4);
    expect(forest.exponentScale).toBe(Math.fround(-Math.LN2 / averagePathLength(model.params.maxSamples)));
    expect(forest.offset).toBe(Math.fround(model.offset));
    expect(forest.metadata.modelVersion).toBe('7');
  });

  it('routes every row of every tree to the leaf weight of the original tree, NaN and infinities included', () => {
    const rows = uniformMatrix(300, 4, 2);
    rows.data.set([NaN, Infinity, -Infinity, NaN], 0);
    for (let r = 0; r < rows.rows; r++) {
      const row = rows.data.subarray(r * 4, r * 4 + 4);
      for (let t = 0; t < forest.trees; t++) expect(heapLeaf(forest, t, row)).toBe(Math.fround(originalLeaf(model, t, row)));
    }
  });

  it('pads a forest of single-leaf trees (constant training data) to depth 1', () => {
    const constant = featureMatrix(new Float32Array(400).fill(3), 4);
    const flat = perfectForestFromOnnx(exported(trainIsolationForest(constant, { nEstimators: 5 })));
    expect(flat.depth).toBe(1);
    expect(flat.leaves[0]).toBe(flat.leaves[1]);
  });

  it('refuses bytes that are not a flowsentry model, with the reason', () => {
    expect(() => perfectForestFromOnnx(new Uint8Array([0xff, 0xff, 0xff]))).toThrow(/not a flowsentry ONNX model \(3 bytes\)/);
  });

  it.each<[string, (node: onnx.INodeProto, graph: onnx.IGraphProto) => void, RegExp]>([
    ['SUM aggregation', (node) => setAttribute(node, { name: 'aggregate_function', type: 3, s: new TextEncoder().encode('SUM') }), /aggregate_function SUM/],
    ['BRANCH_LT splits', (node) => node.attribute!.find((a) => a.name === 'nodes_modes')!.strings!.forEach((s, i, all) => (new TextDecoder().decode(s) === 'BRANCH_LEQ' ? (all[i] = new TextEncoder().encode('BRANCH_LT')) : s)), /node modes BRANCH_LT/],
    ['missing-value tracks', (node) => setAttribute(node, { name: 'nodes_missing_value_tracks_true', type: 7, ints: new Array<number>(forest.trees * 3).fill(1) }), /nodes_missing_value_tracks_true/],
    ['a different graph tail', (_node, graph) => graph.node!.pop(), /not the shape exportOnnx writes/],
    ['a weight on an internal node', (node) => (node.attribute!.find((a) => a.name === 'target_nodeids')!.ints![0] = 0), /not a leaf/],
  ])('refuses a graph with %s, naming what it does not implement', (_case, edit, reason) => {
    expect(() => perfectForestFromOnnx(editForest(bytes, edit))).toThrow(reason);
  });

  it(`refuses trees deeper than ${MAX_KERNEL_DEPTH} levels`, () => {
    const deep = trainIsolationForest(uniformMatrix(40_000, 2, 3), { nEstimators: 1, maxSamples: 40_000 });
    expect(() => perfectForestFromOnnx(exported(deep))).toThrow(/levels deep; the forest kernel pads to at most 14 \(use OnnxScorer\)/);
  });
});
