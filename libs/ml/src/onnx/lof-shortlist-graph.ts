import { onnx } from 'onnx-proto';
import { doubleScalar, doubleTensor, int64Tensor } from './onnx-builders';
import { GraphParts, squaredDistanceNodes } from './onnx-distance-graph';

const { INT, INTS, GRAPH } = onnx.AttributeProto.AttributeType;
const { DataType } = onnx.TensorProto;

/**
 * Squared norms (‖x−o‖², ‖s−o‖²) up to which the float32 keys cannot overflow: every product, partial
 * sum and the key itself stays below 4e30, far inside float32's 3.4e38. Beyond, a row is not certified
 * (a query) or the fast path is not built at all (a stored row).
 */
const MAX_SQUARED_NORM = 1e30;
/**
 * How far beyond the k-th shortlisted distance the bound on every other row must lie: past any grid step
 * the neighbour key could tie on (2⁻²⁴ apart) and the rounding of the exact distances themselves.
 */
const CERTAIN_MARGIN = 1 + 2 ** -20;
/** The lower bound's own float64 rounding, relative to ‖x−o‖² (its terms cancel). */
const FLOOR_ROUNDING = 2 ** -40;

/**
 * Relative error bound of the float32 key, as c in |key₃₂ − key| ≤ c·(‖x−o‖² + ‖s−o‖²) with u = 2⁻²⁴:
 * inputs rounded once each (2u), a dot product of F rounded products summed in any order ((F + 1)u),
 * the bias and the Gemm's last addition (~3u), so (F + 6)u, doubled for margin. It holds for normal
 * floats; underflow adds an absolute error, floatUnderflowSlack.
 */
export function float32KeySlack(cols: number): number {
  return 2 * (cols + 8) * 2 ** -24;
}

/**
 * The absolute error values below float32's normal range add to a key: each of the F products and
 * its inputs lose at most 2⁻¹⁴⁹ times a value of at most 1e15 (squared norms ≤ MAX_SQUARED_NORM), plus
 * the sums and the bias; twice that for margin. Negligible beside any distance above ~1e-27; at smaller
 * scales a row is simply not certified.
 */
export function floatUnderflowSlack(cols: number): number {
  return 2 * (cols + 4) * 2 ** -149 * (1 + 2 * Math.sqrt(MAX_SQUARED_NORM));
}

/**
 * `shortlist` [N, C] and `exact_d2` [N, C] for LOF's graph: C stored rows certain to hold every query
 * row's k nearest, with their exact squared distances from coordinate differences (as the TypeScript
 * scorer sums them). Reads `x` [N, F] (float64), `x_3d` [N, 1, F], `axis_1`, `axis_2`; stores the rows
 * (`train_rows`, float64) and their origin o (`train_origin`).
 *
 * The fast path ranks the stored rows by a float32 key, (1 − c)·‖s−o‖² − 2(x−o)·(s−o) with
 * c = float32KeySlack: one float32 Gemm with the norms folded in as its bias (onnxruntime's float32
 * Gemm is several times its float64 one, and the [N, M] keys are half the bytes). Taking c·‖s−o‖² off
 * makes it a lower bound whatever float32 rounded: a stored row's squared distance is at least its
 * key + (1 − c)·‖x−o‖² (less the underflow slack). So every row checks that the C-th key's bound lies
 * beyond its k-th shortlisted exact distance: then no row left out can be among its k nearest. If any
 * row of the batch cannot say so (a cluster of stored rows finer than float32 resolves at its distance
 * from the origin, a query beyond MAX_SQUARED_NORM, values at the edge of float32's range), the batch is
 * shortlisted again from float64 distances (one float64 Gemm, ~1e-15 of the norms). Stored rows beyond
 * MAX_SQUARED_NORM leave only that float64 path.
 */
export function lofShortlist(stored: Float64Array, cols: number, origin: Float64Array, k: number, size: number): GraphParts {
  const count = stored.length / cols;
  const initializers = [doubleTensor('train_rows', [count, cols], stored), doubleTensor('train_origin', [cols], origin), int64Tensor('shortlist_k', [size], [1])];
  const float64 = float64Shortlist('float64');
  if (!(maxSquaredNorm(stored, cols, origin) <= MAX_SQUARED_NORM)) {
    return { nodes: [...float64.nodes, identity(float64.shortlist, 'shortlist'), identity(float64.exactD2, 'exact_d2')], initializers };
  }
  const fast = [...float32Keys(), topK('fast_shortlist', 'fast_key', 'shortlist_k', 'fast_key_sorted', 'fast_shortlist'), ...exactDistanceNodes('fast', 'fast_shortlist')];
  const fastInitializers = [doubleScalar('key_bias_scale', 1 - float32KeySlack(cols))];
  if (size >= count) {
    // Every stored row is shortlisted: nothing can be left out.
    return { nodes: [...fast, identity('fast_shortlist', 'shortlist'), identity('fast_exact_d2', 'exact_d2')], initializers: [...initializers, ...fastInitializers] };
  }
  const certify: onnx.INodeProto[] = [
    { name: 'last_key_gather', opType: 'Gather', input: ['fast_key_sorted', 'last_position'], output: ['last_key_f32'], attribute: [{ name: 'axis', type: INT, i: 1 }] },
    cast('last_key_f32', 'last_key', DataType.DOUBLE),
    { name: 'norm_part', opType: 'Mul', input: ['fast_query_norm', 'floor_norm_scale'], output: ['norm_part'] },
    { name: 'key_floor', opType: 'Add', input: ['last_key', 'norm_part'], output: ['key_floor'] },
    { name: 'left_out_floor', opType: 'Sub', input: ['key_floor', 'underflow_slack'], output: ['left_out_floor'] },
    topK('fast_nearest', 'fast_exact_d2', 'k', 'fast_nearest_d2', 'fast_nearest_position'),
    reduce('ReduceMax', 'kth_d2', 'fast_nearest_d2', [1]),
    { name: 'needed_floor', opType: 'Mul', input: ['kth_d2', 'certain_margin'], output: ['needed_floor'] },
    { name: 'beyond_kth', opType: 'Greater', input: ['left_out_floor', 'needed_floor'], output: ['beyond_kth'] },
    { name: 'query_in_range', opType: 'LessOrEqual', input: ['fast_query_norm', 'max_squared_norm'], output: ['query_in_range'] },
    { name: 'row_certain', opType: 'And', input: ['beyond_kth', 'query_in_range'], output: ['row_certain'] },
    cast('row_certain', 'row_certain_f32', DataType.FLOAT),
    reduce('ReduceMin', 'all_certain_f32', 'row_certain_f32', null),
    cast('all_certain_f32', 'all_certain', DataType.BOOL),
  ];
  const thenBranch: onnx.IGraphProto = {
    name: 'float32_shortlist_is_certain',
    node: [identity('fast_shortlist', 'kept_shortlist'), identity('fast_exact_d2', 'kept_exact_d2')],
    output: [branchOutput('kept_shortlist', DataType.INT64), branchOutput('kept_exact_d2', DataType.DOUBLE)],
  };
  const elseBranch: onnx.IGraphProto = {
    name: 'float64_shortlist',
    node: float64.nodes,
    output: [branchOutput(float64.shortlist, DataType.INT64), branchOutput(float64.exactD2, DataType.DOUBLE)],
  };
  const choose: onnx.INodeProto = {
    name: 'certain_shortlist',
    opType: 'If',
    input: ['all_certain'],
    output: ['shortlist', 'exact_d2'],
    attribute: [
      { name: 'then_branch', type: GRAPH, g: thenBranch },
      { name: 'else_branch', type: GRAPH, g: elseBranch },
    ],
  };
  return {
    nodes: [...fast, ...certify, choose],
    initializers: [
      ...initializers,
      ...fastInitializers,
      int64Tensor('last_position', [size - 1]),
      doubleScalar('floor_norm_scale', 1 - float32KeySlack(cols) - FLOOR_ROUNDING),
      doubleScalar('underflow_slack', floatUnderflowSlack(cols)),
      doubleScalar('certain_margin', CERTAIN_MARGIN),
      doubleScalar('max_squared_norm', MAX_SQUARED_NORM),
    ],
  };
}

/** `fast_key` [N, M] float32, the lower-bound key, and `fast_query_norm` [N] = ‖x−o‖² in float64. */
function float32Keys(): onnx.INodeProto[] {
  const noKeepdims = { name: 'keepdims', type: INT, i: 0 };
  return [
    { name: 'fast_stored_shift', opType: 'Sub', input: ['train_rows', 'train_origin'], output: ['fast_so'] },
    { name: 'fast_stored_square', opType: 'Mul', input: ['fast_so', 'fast_so'], output: ['fast_so2'] },
    { name: 'fast_stored_norm', opType: 'ReduceSum', input: ['fast_so2', 'axis_1'], output: ['fast_stored_norm'], attribute: [noKeepdims] },
    { name: 'fast_bias', opType: 'Mul', input: ['fast_stored_norm', 'key_bias_scale'], output: ['fast_bias'] },
    cast('fast_bias', 'fast_bias_f32', DataType.FLOAT),
    cast('fast_so', 'fast_so_f32', DataType.FLOAT),
    { name: 'fast_shift', opType: 'Sub', input: ['x', 'train_origin'], output: ['fast_xo'] },
    { name: 'fast_square', opType: 'Mul', input: ['fast_xo', 'fast_xo'], output: ['fast_xo2'] },
    { name: 'fast_query_norm', opType: 'ReduceSum', input: ['fast_xo2', 'axis_1'], output: ['fast_query_norm'], attribute: [noKeepdims] },
    cast('fast_xo', 'fast_xo_f32', DataType.FLOAT),
    {
      name: 'fast_key',
      opType: 'Gemm',
      input: ['fast_xo_f32', 'fast_so_f32', 'fast_bias_f32'],
      output: ['fast_key'],
      attribute: [
        { name: 'transB', type: INT, i: 1 },
        { name: 'alpha', type: onnx.AttributeProto.AttributeType.FLOAT, f: -2 },
      ],
    },
  ];
}

/** The graph's earlier shortlist: TopK over float64 squared distances from one Gemm, then their exact values. */
function float64Shortlist(prefix: string): { nodes: onnx.INodeProto[]; shortlist: string; exactD2: string } {
  return {
    nodes: [
      ...squaredDistanceNodes(prefix, 'train_rows', 'train_origin'),
      topK(`${prefix}_shortlist`, `${prefix}_d2`, 'shortlist_k', `${prefix}_key`, `${prefix}_shortlist`),
      ...exactDistanceNodes(`${prefix}_rows`, `${prefix}_shortlist`),
    ],
    shortlist: `${prefix}_shortlist`,
    exactD2: `${prefix}_rows_exact_d2`,
  };
}

/** `<prefix>_exact_d2` [N, C]: squared distances to the shortlisted rows from coordinate differences. */
function exactDistanceNodes(prefix: string, shortlist: string): onnx.INodeProto[] {
  const p = (name: string): string => `${prefix}_${name}`;
  return [
    { name: p('rows'), opType: 'Gather', input: ['train_rows', shortlist], output: [p('rows')] },
    { name: p('difference'), opType: 'Sub', input: ['x_3d', p('rows')], output: [p('difference')] },
    { name: p('difference2'), opType: 'Mul', input: [p('difference'), p('difference')], output: [p('difference2')] },
    { name: p('exact_d2'), opType: 'ReduceSum', input: [p('difference2'), 'axis_2'], output: [p('exact_d2')], attribute: [{ name: 'keepdims', type: INT, i: 0 }] },
  ];
}

function maxSquaredNorm(stored: Float64Array, cols: number, origin: Float64Array): number {
  let max = 0;
  for (let at = 0; at < stored.length; at += cols) {
    let norm = 0;
    for (let c = 0; c < cols; c++) norm += (stored[at + c] - origin[c]) ** 2;
    if (!(norm <= max)) max = norm;
  }
  return max;
}

export function topK(name: string, input: string, kName: string, values: string, indices: string): onnx.INodeProto {
  return {
    name,
    opType: 'TopK',
    input: [input, kName],
    output: [values, indices],
    attribute: [
      { name: 'axis', type: INT, i: -1 },
      { name: 'largest', type: INT, i: 0 },
      { name: 'sorted', type: INT, i: 1 },
    ],
  };
}

/** A reduction over `axes` (all when null), dropping the reduced axes. */
export function reduce(opType: string, name: string, input: string, axes: number[] | null): onnx.INodeProto {
  return { name, opType, input: [input], output: [name], attribute: [...(axes ? [{ name: 'axes', type: INTS, ints: axes }] : []), { name: 'keepdims', type: INT, i: 0 }] };
}

function cast(input: string, output: string, to: onnx.TensorProto.DataType): onnx.INodeProto {
  return { name: output, opType: 'Cast', input: [input], output: [output], attribute: [{ name: 'to', type: INT, i: to }] };
}

function identity(input: string, output: string): onnx.INodeProto {
  return { name: output, opType: 'Identity', input: [input], output: [output] };
}

function branchOutput(name: string, elemType: onnx.TensorProto.DataType): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType } } };
}
