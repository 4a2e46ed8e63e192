import { onnx } from 'onnx-proto';
import { int64Tensor } from '../../libs/ml/src/onnx/onnx-builders';

const TREE_OP = 'TreeEnsembleRegressor';

/**
 * Experiment (bench/ml/scoring-strategies.ts), not product code: the exported model with its forest node
 * replaced by `parts` copies, each scoring one contiguous row slice, concatenated back in order, meant to
 * run under executionMode 'parallel' so each slice gets a core with one hand-off per batch instead of the
 * tree kernel's intra-op scheme (trees split across threads, pool re-synchronised every 128 rows).
 * Scores are bit-identical to the one-node model. Measured with onnxruntime-node 1.30 on 2 cores it did
 * NOT run the slices concurrently (~1-thread throughput with 2 or 3 inter-op threads), so OnnxScorer
 * uses intra-op threads instead; kept to re-check on onnxruntime upgrades.
 */
export function rowPartitionedModel(bytes: Uint8Array, parts: number): Uint8Array {
  if (!Number.isInteger(parts) || parts < 2) throw new RangeError(`parts must be an integer ≥ 2, got ${parts}`);
  const model = onnx.ModelProto.decode(bytes);
  const graph = model.graph;
  const graphNodes = graph?.node ?? [];
  const at = graphNodes.findIndex((node) => node.opType === TREE_OP);
  if (!graph || at < 0) throw new RangeError(`model has no ${TREE_OP} node to partition`);
  const forest = graphNodes[at];
  const [input] = forest.input ?? [];
  const [output] = forest.output ?? [];
  const name = (suffix: string): string => `${forest.name ?? 'forest'}_${suffix}`;

  const initializers: onnx.ITensorProto[] = [int64Tensor(name('axis'), [0], [1]), int64Tensor(name('parts'), [parts], [1])];
  // Shape's start/end (opset 15+) give the row count as a 1-D tensor, the form Slice takes for starts/ends.
  const nodes: onnx.INodeProto[] = [
    { name: name('rows'), opType: 'Shape', input: [input], output: [name('rows')], attribute: [{ name: 'end', type: onnx.AttributeProto.AttributeType.INT, i: 1 }] },
  ];
  // Boundary k = floor(rows · k / parts): slices differ by at most one row and cover every row once.
  const boundaries = [name('zero')];
  initializers.push(int64Tensor(name('zero'), [0], [1]));
  for (let k = 1; k < parts; k++) {
    initializers.push(int64Tensor(name(`k${k}`), [k], [1]));
    nodes.push(
      { name: name(`scaled${k}`), opType: 'Mul', input: [name('rows'), name(`k${k}`)], output: [name(`scaled${k}`)] },
      { name: name(`boundary${k}`), opType: 'Div', input: [name(`scaled${k}`), name('parts')], output: [name(`boundary${k}`)] },
    );
    boundaries.push(name(`boundary${k}`));
  }
  boundaries.push(name('rows'));

  const partOutputs: string[] = [];
  for (let k = 0; k < parts; k++) {
    nodes.push(
      { name: name(`slice${k}`), opType: 'Slice', input: [input, boundaries[k], boundaries[k + 1], name('axis')], output: [name(`rows${k}`)] },
      { ...forest, name: name(`part${k}`), input: [name(`rows${k}`)], output: [name(`out${k}`)] },
    );
    partOutputs.push(name(`out${k}`));
  }
  nodes.push({
    name: name('concat'),
    opType: 'Concat',
    input: partOutputs,
    output: [output],
    attribute: [{ name: 'axis', type: onnx.AttributeProto.AttributeType.INT, i: 0 }],
  });

  graph.node = [...graphNodes.slice(0, at), ...nodes, ...graphNodes.slice(at + 1)];
  graph.initializer = [...(graph.initializer ?? []), ...initializers];
  return onnx.ModelProto.encode(model).finish();
}
