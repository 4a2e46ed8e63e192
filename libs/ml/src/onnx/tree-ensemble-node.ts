import { onnx } from 'onnx-proto';
import { IsolationForestModel } from '../forest/isolation-forest-model';
import { floatsAttribute, intAttribute, intsAttribute, stringAttribute, stringsAttribute } from './onnx-builders';

export const ML_DOMAIN = 'ai.onnx.ml';

/**
 * The whole forest as ONE ai.onnx.ml TreeEnsembleRegressor: onnxruntime then walks every tree in a
 * single kernel (parallel over rows or trees), several times faster than one node per tree plus a Sum.
 * Each leaf's weight is its path length depth + c(size) and AVERAGE yields E[h(x)] directly.
 * BRANCH_LEQ sends `x <= threshold` to the true branch, sklearn's left child; NaN fails the test and
 * goes to the false branch, matching the TypeScript walker. Node ids are local to each tree.
 */
export function treeEnsembleNode(model: IsolationForestModel, input: string, output: string): onnx.INodeProto {
  const { feature, threshold, left, right, pathLength } = model.nodes;
  const nodeCount = feature.length;
  const roots = model.treeRoots;
  const treeIds = new Int32Array(nodeCount);
  const nodeIds = new Int32Array(nodeCount);
  const featureIds = new Int32Array(nodeCount);
  const values = new Float32Array(nodeCount);
  const trueIds = new Int32Array(nodeCount);
  const falseIds = new Int32Array(nodeCount);
  const modes: string[] = new Array<string>(nodeCount);
  const targetTreeIds: number[] = [];
  const targetNodeIds: number[] = [];
  const targetWeights: number[] = [];

  for (let t = 0; t < roots.length; t++) {
    const root = roots[t];
    const end = t + 1 < roots.length ? roots[t + 1] : nodeCount;
    for (let i = root; i < end; i++) {
      treeIds[i] = t;
      nodeIds[i] = i - root;
      if (feature[i] < 0) {
        modes[i] = 'LEAF';
        targetTreeIds.push(t);
        targetNodeIds.push(i - root);
        targetWeights.push(pathLength[i]);
      } else {
        modes[i] = 'BRANCH_LEQ';
        featureIds[i] = feature[i];
        values[i] = threshold[i];
        trueIds[i] = left[i] - root;
        falseIds[i] = right[i] - root;
      }
    }
  }

  return {
    name: 'isolation_forest',
    opType: 'TreeEnsembleRegressor',
    domain: ML_DOMAIN,
    input: [input],
    output: [output],
    attribute: [
      stringAttribute('aggregate_function', 'AVERAGE'),
      intAttribute('n_targets', 1),
      intsAttribute('nodes_falsenodeids', falseIds),
      intsAttribute('nodes_featureids', featureIds),
      stringsAttribute('nodes_modes', modes),
      intsAttribute('nodes_nodeids', nodeIds),
      intsAttribute('nodes_treeids', treeIds),
      intsAttribute('nodes_truenodeids', trueIds),
      floatsAttribute('nodes_values', values),
      stringAttribute('post_transform', 'NONE'),
      intsAttribute('target_ids', new Int32Array(targetTreeIds.length)),
      intsAttribute('target_nodeids', targetNodeIds),
      intsAttribute('target_treeids', targetTreeIds),
      floatsAttribute('target_weights', targetWeights),
    ],
  };
}
