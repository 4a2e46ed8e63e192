import { onnx } from 'onnx-proto';
import { FeatureSpec } from '../features/feature-spec';
import { LocalOutlierFactorModel } from '../neighbors/local-outlier-factor-model';
import { LOG_GRID } from '../neighbors/nearest-neighbors';
import { LRD_EPSILON } from '../neighbors/reachability';
import { doubleScalar, doubleTensor, int64Tensor } from './onnx-builders';
import { anomalyOutputs, columnMedians, float32KeySlack, preparedInput, scoringGraph, shortlistKeys, squaredDistanceNodes } from './onnx-distance-graph';
import { ONNX_OPSET, OnnxExportMetadata, onnxModelBytes } from './onnx-model-envelope';

const { INT, INTS, GRAPH } = onnx.AttributeProto.AttributeType;
const { DataType } = onnx.TensorProto;

/** Shortlist size over k: the keys only have to rank the true k nearest inside it. */
function shortlistSize(k: number, stored: number): number {
  return Math.min(stored, 2 * k + 16);
}

/**
 * How far beyond the k-th shortlisted distance the bound on every other row must lie: past any grid step
 * the neighbour key could tie on (2⁻²⁴ apart) and the rounding of the exact distances themselves.
 */
const CERTAIN_MARGIN = 1 + 2 ** -20;
/** The lower bound's own float64 rounding, relative to ‖x−o‖² (its terms cancel). */
const FLOOR_ROUNDING = 2 ** -40;

const topK = (name: string, input: string, kName: string, values: string, indices: string): onnx.INodeProto => ({
  name,
  opType: 'TopK',
  input: [input, kName],
  output: [values, indices],
  attribute: [
    { name: 'axis', type: INT, i: -1 },
    { name: 'largest', type: INT, i: 0 },
    { name: 'sorted', type: INT, i: 1 },
  ],
});
const reduce = (opType: string, name: string, input: string, axes: number[] | null): onnx.INodeProto => ({
  name,
  opType,
  input: [input],
  output: [name],
  attribute: [...(axes ? [{ name: 'axes', type: INTS, ints: axes }] : []), { name: 'keepdims', type: INT, i: 0 }],
});

/** `<prefix>_exact_d2` [N, C]: squared distances to the shortlisted rows from coordinate differences, as the TypeScript scorer sums them. */
function exactDistanceNodes(prefix: string, shortlist: string): onnx.INodeProto[] {
  const p = (name: string): string => `${prefix}_${name}`;
  return [
    { name: p('rows'), opType: 'Gather', input: ['train_rows', shortlist], output: [p('rows')] },
    { name: p('difference'), opType: 'Sub', input: ['x_3d', p('rows')], output: [p('difference')] },
    { name: p('difference2'), opType: 'Mul', input: [p('difference'), p('difference')], output: [p('difference2')] },
    { name: p('exact_d2'), opType: 'ReduceSum', input: [p('difference2'), 'axis_2'], output: [p('exact_d2')], attribute: [{ name: 'keepdims', type: INT, i: 0 }] },
  ];
}

const branchOutput = (name: string, elemType: onnx.TensorProto.DataType): onnx.IValueInfoProto => ({ name, type: { tensorType: { elemType } } });

/**
 * `shortlist` [N, C] and `exact_d2` [N, C]: a shortlist certain to hold every row's k nearest stored rows.
 * It is taken on float32 keys (shortlistKeys), and every row checks the bound they give: the C-th key
 * plus (1 − c)·‖x−o‖², at most any left-out row's squared distance, must lie beyond the k-th shortlisted
 * one. If any row of the batch cannot say so (a cluster of stored rows finer than float32 resolves at
 * its distance from the origin), the batch is shortlisted again on float64 distances from one Gemm, the
 * graph's previous way (~1e-15 of the norms).
 */
function certainShortlist(k: number, size: number, stored: number): onnx.INodeProto[] {
  const fast = [topK('fast_shortlist', 'train_key', 'shortlist_k', 'fast_key', 'fast_shortlist'), ...exactDistanceNodes('fast', 'fast_shortlist')];
  if (size >= stored) {
    // Every stored row is shortlisted: nothing can be left out.
    return [...fast, { name: 'shortlist', opType: 'Identity', input: ['fast_shortlist'], output: ['shortlist'] }, { name: 'exact_d2', opType: 'Identity', input: ['fast_exact_d2'], output: ['exact_d2'] }];
  }
  const certify: onnx.INodeProto[] = [
    { name: 'last_key', opType: 'Gather', input: ['fast_key', 'last_position'], output: ['last_key_f32'], attribute: [{ name: 'axis', type: INT, i: 1 }] },
    { name: 'last_key_f64', opType: 'Cast', input: ['last_key_f32'], output: ['last_key'], attribute: [{ name: 'to', type: INT, i: DataType.DOUBLE }] },
    { name: 'norm_part', opType: 'Mul', input: ['train_query_norm', 'floor_norm_scale'], output: ['norm_part'] },
    { name: 'left_out_floor', opType: 'Add', input: ['last_key', 'norm_part'], output: ['left_out_floor'] },
    topK('fast_nearest', 'fast_exact_d2', 'k', 'fast_nearest_d2', 'fast_nearest_position'),
    reduce('ReduceMax', 'kth_d2', 'fast_nearest_d2', [1]),
    { name: 'needed_floor', opType: 'Mul', input: ['kth_d2', 'certain_margin'], output: ['needed_floor'] },
    { name: 'row_certain', opType: 'Greater', input: ['left_out_floor', 'needed_floor'], output: ['row_certain'] },
    { name: 'row_certain_f32', opType: 'Cast', input: ['row_certain'], output: ['row_certain_f32'], attribute: [{ name: 'to', type: INT, i: DataType.FLOAT }] },
    reduce('ReduceMin', 'all_certain_f32', 'row_certain_f32', null),
    { name: 'all_certain', opType: 'Cast', input: ['all_certain_f32'], output: ['all_certain'], attribute: [{ name: 'to', type: INT, i: DataType.BOOL }] },
  ];
  const thenBranch: onnx.IGraphProto = {
    name: 'float32_shortlist_is_certain',
    node: [
      { name: 'keep_shortlist', opType: 'Identity', input: ['fast_shortlist'], output: ['kept_shortlist'] },
      { name: 'keep_exact_d2', opType: 'Identity', input: ['fast_exact_d2'], output: ['kept_exact_d2'] },
    ],
    output: [branchOutput('kept_shortlist', DataType.INT64), branchOutput('kept_exact_d2', DataType.DOUBLE)],
  };
  const elseBranch: onnx.IGraphProto = {
    name: 'float64_shortlist',
    node: [
      ...squaredDistanceNodes('float64', 'train_rows', 'train_origin'),
      topK('float64_shortlist', 'float64_d2', 'shortlist_k', 'float64_key', 'float64_shortlist'),
      ...exactDistanceNodes('float64_rows', 'float64_shortlist'),
    ],
    output: [branchOutput('float64_shortlist', DataType.INT64), branchOutput('float64_rows_exact_d2', DataType.DOUBLE)],
  };
  return [
    ...fast,
    ...certify,
    {
      name: 'certain_shortlist',
      opType: 'If',
      input: ['all_certain'],
      output: ['shortlist', 'exact_d2'],
      attribute: [
        { name: 'then_branch', type: GRAPH, g: thenBranch },
        { name: 'else_branch', type: GRAPH, g: elseBranch },
      ],
    },
  ];
}

/**
 * LOF (novelty) as plain ONNX operators, reproducing scoreLocalOutlierFactor:
 *   1. shortlist: the C = 2k + 16 stored rows with the least float32 keys, certain to hold the k nearest
 *      or else taken again in float64 (certainShortlist);
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
    { name: 'x_3d', opType: 'Unsqueeze', input: ['x', 'axis_1'], output: ['x_3d'] },
    ...certainShortlist(k, size, count),
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
    shortlistKeys('train', model.training, cols, columnMedians(model.training, cols)),
    {
      nodes: neighbors,
      initializers: [
        int64Tensor('shortlist_k', [size], [1]),
        int64Tensor('last_position', [size - 1]),
        doubleScalar('floor_norm_scale', 1 - float32KeySlack(cols) - FLOOR_ROUNDING),
        doubleScalar('certain_margin', CERTAIN_MARGIN),
        int64Tensor('k', [k], [1]),
        int64Tensor('axis_2', [2], [1]),
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
