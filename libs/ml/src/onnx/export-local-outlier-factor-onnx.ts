import { onnx } from 'onnx-proto';
import { FeatureSpec } from '../features/feature-spec';
import { LocalOutlierFactorModel } from '../neighbors/local-outlier-factor-model';
import { LOG_GRID } from '../neighbors/nearest-neighbors';
import { LRD_EPSILON } from '../neighbors/reachability';
import { doubleScalar, doubleTensor, int64Tensor } from './onnx-builders';
import { lofShortlist, reduce, topK } from './lof-shortlist-graph';
import { anomalyOutputs, columnMedians, preparedInput, scoringGraph } from './onnx-distance-graph';
import { ONNX_OPSET, OnnxExportMetadata, onnxModelBytes } from './onnx-model-envelope';

const { INT } = onnx.AttributeProto.AttributeType;
const { DataType } = onnx.TensorProto;

/** Shortlist size over k: the keys only have to rank the true k nearest inside it. */
function shortlistSize(k: number, stored: number): number {
  return Math.min(stored, 2 * k + 16);
}

/**
 * LOF (novelty) as plain ONNX operators, reproducing scoreLocalOutlierFactor:
 *   1. shortlist: C = 2k + 16 stored rows certain to hold the k nearest (lofShortlist: float32 keys,
 *      certified per row, or else float64 distances);
 *   2. exact squared distances to the shortlisted rows from coordinate differences, and the k nearest
 *      by nearest-neighbors.ts's key: round(ln d² · 2²⁴) · M + index (ties to the lower index);
 *   3. reach = max(√d², k_distance[o]);  score_samples = −mean(lrd[o]) · (mean(reach) + 1e-10).
 * Memory per batch is N×M per intermediate of step 1: score large batches in slices (onnxSliceRows).
 * The index part of the key needs |step|·M < 2⁵³, i.e. at most ~700,000 training rows.
 */
export function exportLocalOutlierFactorOnnx(model: LocalOutlierFactorModel, spec: FeatureSpec, metadata: OnnxExportMetadata): Uint8Array {
  const cols = model.nFeatures;
  const count = model.training.length / cols;
  const k = model.params.nNeighbors;
  const size = shortlistSize(k, count);
  // ln d² lies within ±745 for any positive double, so steps stay below 745·2²⁴ in magnitude.
  if (745 * LOG_GRID * count >= 2 ** 53) throw new RangeError(`${count} training rows are too many for the ONNX neighbour key`);
  const mean = (name: string, input: string): onnx.INodeProto => reduce('ReduceMean', name, input, [1]);
  const neighbors: onnx.INodeProto[] = [
    { name: 'log_d2', opType: 'Log', input: ['exact_d2'], output: ['log_d2'] },
    { name: 'log_grid', opType: 'Mul', input: ['log_d2', 'log_grid'], output: ['log_grid_d2'] },
    { name: 'step', opType: 'Round', input: ['log_grid_d2'], output: ['step'] },
    { name: 'step_major', opType: 'Mul', input: ['step', 'stored_count'], output: ['step_major'] },
    { name: 'shortlist_f64', opType: 'Cast', input: ['shortlist'], output: ['shortlist_f64'], attribute: [{ name: 'to', type: INT, i: DataType.DOUBLE }] },
    { name: 'key', opType: 'Add', input: ['step_major', 'shortlist_f64'], output: ['key'] },
    topK('nearest_by_key', 'key', 'k', 'nearest_key', 'nearest_position'),
    { name: 'nearest', opType: 'GatherElements', input: ['shortlist', 'nearest_position'], output: ['nearest'], attribute: [{ name: 'axis', type: INT, i: 1 }] },
    { name: 'nearest_d2', opType: 'GatherElements', input: ['exact_d2', 'nearest_position'], output: ['nearest_d2'], attribute: [{ name: 'axis', type: INT, i: 1 }] },
    { name: 'distance', opType: 'Sqrt', input: ['nearest_d2'], output: ['distance'] },
    { name: 'neighbor_k_distance', opType: 'Gather', input: ['k_distance', 'nearest'], output: ['neighbor_k_distance'] },
    { name: 'reach', opType: 'Max', input: ['distance', 'neighbor_k_distance'], output: ['reach'] },
    mean('mean_reach', 'reach'),
    { name: 'neighbor_lrd', opType: 'Gather', input: ['lrd', 'nearest'], output: ['neighbor_lrd'] },
    mean('mean_neighbor_lrd', 'neighbor_lrd'),
    { name: 'inverse_lrd', opType: 'Add', input: ['mean_reach', 'lrd_epsilon'], output: ['inverse_lrd'] },
    { name: 'lof', opType: 'Mul', input: ['mean_neighbor_lrd', 'inverse_lrd'], output: ['lof'] },
    { name: 'negate', opType: 'Neg', input: ['lof'], output: ['score'] },
  ];
  const graph = scoringGraph('flowsentry_local_outlier_factor', cols, [
    preparedInput(cols, model.scaling),
    { nodes: [{ name: 'x_3d', opType: 'Unsqueeze', input: ['x', 'axis_1'], output: ['x_3d'] }], initializers: [int64Tensor('axis_2', [2], [1])] },
    lofShortlist(model.training, cols, columnMedians(model.training, cols), k, size),
    {
      nodes: neighbors,
      initializers: [
        int64Tensor('k', [k], [1]),
        doubleScalar('log_grid', LOG_GRID),
        doubleScalar('stored_count', count),
        doubleTensor('k_distance', [count], model.kDistance),
        doubleTensor('lrd', [count], model.lrd),
        doubleScalar('lrd_epsilon', LRD_EPSILON),
      ],
    },
    anomalyOutputs('score', model.offset),
  ]);
  return onnxModelBytes(
    {
      algorithm: 'local-outlier-factor',
      nFeatures: cols,
      params: model.params,
      offset: model.offset,
      graph,
      opsetImport: [{ domain: '', version: ONNX_OPSET }],
      docString: 'Local Outlier Factor novelty scores for network flows (sklearn LocalOutlierFactor(novelty=True) semantics)',
    },
    spec,
    metadata,
  );
}
