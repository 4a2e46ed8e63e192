import { onnx } from 'onnx-proto';
import { gaussian, identitySpec, randomMatrix } from '../../fixtures/scoring-data';
import { IsolationForestModel } from '../forest/isolation-forest-model';
import { trainIsolationForest } from '../forest/train-isolation-forest';
import { exportOnnx } from '../onnx/export-onnx';
import { ONNX_METADATA_KEYS } from '../onnx/onnx-metadata';
import { attributionForestFromOnnx } from './attribution-forest';

const exported = (model: IsolationForestModel): Uint8Array => exportOnnx(model, identitySpec(model.nFeatures), { modelName: 'explain', modelVersion: '2' });

function editModel(bytes: Uint8Array, edit: (model: onnx.ModelProto) => void): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  edit(model);
  return onnx.ModelProto.encode(model).finish();
}

const ensembleOf = (model: onnx.ModelProto): onnx.INodeProto => model.graph!.node![0];
const attributeOf = (model: onnx.ModelProto, name: string): onnx.IAttributeProto => ensembleOf(model).attribute!.find((a) => a.name === name)!;

describe('attributionForestFromOnnx', () => {
  const model = trainIsolationForest(randomMatrix(1500, 5, 1, gaussian), { seed: 9, nEstimators: 30 });
  const bytes = exported(model);
  const forest = attributionForestFromOnnx(bytes);

  it('reads back every tree of the model node for node, with float32 leaf weights, depths and the training rows of every leaf', () => {
    expect(forest.nFeatures).toBe(5);
    expect(forest.maxSamples).toBe(model.params.maxSamples);
    expect(forest.maxDepth).toBe(model.params.maxDepth);
    expect(Array.from(forest.treeRoots)).toEqual(Array.from(model.treeRoots));
    const { feature, threshold, left, right, pathLength, size } = model.nodes;
    // exportOnnx writes each tree's nodes in the model's order, so the absolute indices coincide.
    expect(forest.feature).toEqual(feature);
    expect(forest.threshold).toEqual(threshold);
    for (let i = 0; i < feature.length; i++) {
      if (feature[i] >= 0) {
        expect([forest.left[i], forest.right[i]]).toEqual([left[i], right[i]]);
      } else {
        expect(forest.pathLength[i]).toBe(Math.fround(pathLength[i]));
        expect(forest.size[i]).toBe(size[i]);
      }
    }
  });

  it('refuses bytes that are not a flowsentry model, with the reason', () => {
    expect(() => attributionForestFromOnnx(new Uint8Array([0xff, 0xff, 0xff]))).toThrow(/not a flowsentry ONNX model \(3 bytes\)/);
  });

  it.each<[string, (model: onnx.ModelProto) => void, RegExp]>([
    ['a different graph tail', (m) => m.graph!.node!.pop(), /not the shape exportOnnx writes/],
    ['SUM aggregation', (m) => (attributeOf(m, 'aggregate_function').s = new TextEncoder().encode('SUM')), /aggregate_function SUM/],
    [
      'BRANCH_LT splits',
      (m) => attributeOf(m, 'nodes_modes').strings!.forEach((s, i, all) => (new TextDecoder().decode(s) === 'BRANCH_LEQ' ? (all[i] = new TextEncoder().encode('BRANCH_LT')) : s)),
      /node modes BRANCH_LT/,
    ],
    ['missing-value tracks', (m) => ensembleOf(m).attribute!.push({ name: 'nodes_missing_value_tracks_true', type: 7, ints: [1] }), /nodes_missing_value_tracks_true/],
    ['a weight on an internal node', (m) => (attributeOf(m, 'target_nodeids').ints![0] = 0), /not a leaf/],
    ['a leaf weight that is not depth + c(size)', (m) => (attributeOf(m, 'target_weights').floats![0] += 0.3), /is not depth \+ c\(n\)/],
    ['a split on a feature the model does not have', (m) => (attributeOf(m, 'nodes_featureids').ints![0] = 5), /reads feature 5, the model has 5 features/],
    [
      'no max_samples in its params',
      (m) => (m.metadataProps!.find((p) => p.key === ONNX_METADATA_KEYS.params)!.value = '{}'),
      /no integer maxSamples/,
    ],
    [
      'a max_samples its leaves do not add up to',
      (m) => (m.metadataProps!.find((p) => p.key === ONNX_METADATA_KEYS.params)!.value = JSON.stringify({ ...model.params, maxSamples: 300 })),
      /the leaves of tree 0 hold 256 training rows, not max_samples 300/,
    ],
  ])('refuses a model with %s, naming what is wrong', (_case, edit, reason) => {
    expect(() => attributionForestFromOnnx(editModel(bytes, edit))).toThrow(reason);
  });
});
