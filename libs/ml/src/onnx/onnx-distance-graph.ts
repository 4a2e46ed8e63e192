import { onnx } from 'onnx-proto';
import { StandardScaling } from '../preprocessing/standard-scaling';
import { batchTensor, doubleScalar, doubleTensor, floatScalar, int64Tensor } from './onnx-builders';
import { ONNX_INPUT, ONNX_OUTPUTS } from './export-onnx';

/**
 * Graph pieces shared by the distance and kernel models (LOF, one-class SVM). Everything between the
 * float32 input and the float32 outputs runs in float64: the TypeScript scorers compute in float64, and
 * float32 would lose the small distances LOF divides by and the 1e-5 agreement the scorers promise.
 */
export interface GraphParts {
  readonly nodes: onnx.INodeProto[];
  readonly initializers: onnx.ITensorProto[];
}

const { DataType } = onnx.TensorProto;

/**
 * features → `x` (float64, [N, F]) with non-finite values replaced by 0 and scaled, and `row_poison`
 * ([N], 0 for a finite row, NaN otherwise) to add to the row's score. Replacing keeps one bad row from
 * reaching shared computations; the poison makes that row's outputs NaN, as the TypeScript scorers say.
 */
export function preparedInput(nFeatures: number, scaling: StandardScaling | null): GraphParts {
  const nodes: onnx.INodeProto[] = [
    { name: 'cast_input', opType: 'Cast', input: [ONNX_INPUT], output: ['x_raw'], attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: DataType.DOUBLE }] },
    // x·0 is 0 for finite x and NaN for NaN or ±Infinity.
    { name: 'finite_probe', opType: 'Mul', input: ['x_raw', 'zero_f64'], output: ['x_probe'] },
    { name: 'row_poison', opType: 'ReduceSum', input: ['x_probe', 'axis_1'], output: ['row_poison'], attribute: [{ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: 0 }] },
    { name: 'non_finite', opType: 'IsNaN', input: ['x_probe'], output: ['x_non_finite'] },
    { name: 'finite_input', opType: 'Where', input: ['x_non_finite', 'zero_f64', 'x_raw'], output: [scaling ? 'x_finite' : 'x'] },
  ];
  const initializers = [doubleScalar('zero_f64', 0), int64Tensor('axis_1', [1], [1])];
  if (scaling) {
    nodes.push(
      { name: 'center', opType: 'Sub', input: ['x_finite', 'scaling_mean'], output: ['x_centered'] },
      { name: 'scale', opType: 'Div', input: ['x_centered', 'scaling_scale'], output: ['x'] },
    );
    initializers.push(doubleTensor('scaling_mean', [nFeatures], scaling.mean), doubleTensor('scaling_scale', [nFeatures], scaling.scale));
  }
  return { nodes, initializers };
}

/**
 * `x` [N, F] → `<prefix>_d2` [N, M]: squared distances to the M stored rows (initializer `<prefix>_rows`
 * [M, F]) as ‖x−o‖² + ‖s−o‖² − 2(x−o)·(s−o): one Gemm instead of an [N, M, F] difference tensor. o is a
 * per-column origin inside the data, so the norms, and the rounding left by their cancellation, stay
 * small. Everything about the stored rows is a constant expression, which onnxruntime folds once when
 * the session loads, so the file holds each stored row once. Also `<prefix>_query_norm` [N, 1] = ‖x−o‖².
 */
export function squaredDistances(prefix: string, stored: Float64Array, cols: number, origin: Float64Array): GraphParts {
  const count = stored.length / cols;
  return {
    nodes: squaredDistanceNodes(prefix, `${prefix}_rows`, `${prefix}_origin`),
    initializers: [doubleTensor(`${prefix}_rows`, [count, cols], stored), doubleTensor(`${prefix}_origin`, [cols], origin)],
  };
}

/** squaredDistances' nodes over stored rows and origin held elsewhere (values `rows` and `origin`). */
export function squaredDistanceNodes(prefix: string, rows: string, origin: string): onnx.INodeProto[] {
  const p = (name: string): string => `${prefix}_${name}`;
  const keepdims = (value: number): onnx.IAttributeProto => ({ name: 'keepdims', type: onnx.AttributeProto.AttributeType.INT, i: value });
  return [
    { name: p('stored_shift'), opType: 'Sub', input: [rows, origin], output: [p('so')] },
    { name: p('stored_square'), opType: 'Mul', input: [p('so'), p('so')], output: [p('so2')] },
    { name: p('stored_norm'), opType: 'ReduceSum', input: [p('so2'), 'axis_1'], output: [p('stored_norm')], attribute: [keepdims(0)] },
    { name: p('shift'), opType: 'Sub', input: ['x', origin], output: [p('xo')] },
    { name: p('square'), opType: 'Mul', input: [p('xo'), p('xo')], output: [p('xo2')] },
    { name: p('query_norm'), opType: 'ReduceSum', input: [p('xo2'), 'axis_1'], output: [p('query_norm')], attribute: [keepdims(1)] },
    {
      name: p('cross2'),
      opType: 'Gemm',
      input: [p('xo'), p('so')],
      output: [p('cross2')],
      attribute: [
        { name: 'transB', type: onnx.AttributeProto.AttributeType.INT, i: 1 },
        { name: 'alpha', type: onnx.AttributeProto.AttributeType.FLOAT, f: 2 },
      ],
    },
    { name: p('norm_sum'), opType: 'Add', input: [p('query_norm'), p('stored_norm')], output: [p('norm_sum')] },
    { name: p('d2'), opType: 'Sub', input: [p('norm_sum'), p('cross2')], output: [p('d2')] },
  ];
}

/** Per-column medians (numpy's): an origin for squaredDistances inside the bulk of the stored rows. */
export function columnMedians(rows: Float64Array, cols: number): Float64Array {
  const count = rows.length / cols;
  const medians = new Float64Array(cols);
  const column = new Float64Array(count);
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < count; r++) column[r] = rows[r * cols + c];
    column.sort();
    medians[c] = count % 2 === 1 ? column[(count - 1) / 2] : (column[count / 2 - 1] + column[count / 2]) / 2;
  }
  return medians;
}

/** float64 `score` [N] → the three outputs every flowsentry model has, poisoned rows NaN. */
export function anomalyOutputs(score: string, offset: number): GraphParts {
  return {
    nodes: [
      { name: 'poison', opType: 'Add', input: [score, 'row_poison'], output: ['score_f64'] },
      { name: 'shift', opType: 'Sub', input: ['score_f64', 'offset_f64'], output: ['decision_f64'] },
      { name: 'cast_score', opType: 'Cast', input: ['score_f64'], output: [ONNX_OUTPUTS.scoreSamples], attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: DataType.FLOAT }] },
      { name: 'cast_decision', opType: 'Cast', input: ['decision_f64'], output: [ONNX_OUTPUTS.decision], attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: DataType.FLOAT }] },
      { name: 'is_outlier', opType: 'Less', input: [ONNX_OUTPUTS.decision, 'zero_f32'], output: ['is_outlier'] },
      { name: 'predict', opType: 'Where', input: ['is_outlier', 'outlier', 'inlier'], output: [ONNX_OUTPUTS.label] },
    ],
    initializers: [doubleScalar('offset_f64', offset), floatScalar('zero_f32', 0), int64Tensor('outlier', [-1]), int64Tensor('inlier', [1])],
  };
}

/** The graph with flowsentry's input and outputs around the given parts. */
export function scoringGraph(name: string, nFeatures: number, parts: GraphParts[]): onnx.IGraphProto {
  return {
    name,
    input: [batchTensor(ONNX_INPUT, DataType.FLOAT, [nFeatures])],
    output: [
      batchTensor(ONNX_OUTPUTS.scoreSamples, DataType.FLOAT, []),
      batchTensor(ONNX_OUTPUTS.decision, DataType.FLOAT, []),
      batchTensor(ONNX_OUTPUTS.label, DataType.INT64, []),
    ],
    initializer: parts.flatMap((part) => part.initializers),
    node: parts.flatMap((part) => part.nodes),
  };
}
