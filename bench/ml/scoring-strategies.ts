import { InferenceSession, Tensor } from 'onnxruntime-node';
import { onnx } from 'onnx-proto';
import os from 'node:os';
import { FeaturePipeline, featureMatrix } from '../../libs/ml/src/features';
import { trainIsolationForest } from '../../libs/ml/src/forest';
import { exportOnnx, ONNX_INPUT, ONNX_OUTPUTS } from '../../libs/ml/src/onnx';
import { rowPartitionedModel } from './row-partitioned-model';
import { producerFlows } from './producer-flows';

/**
 * Evidence behind OnnxScorer's threading and bench/ml's figures: rows/s of onnxruntime session layouts and
 * node encodings on one 100,000-row batch of producer traffic (100 trees, 17 features).
 * Usage: node --import tsx bench/ml/scoring-strategies.ts [rows=100000]   (only on a quiet machine)
 */
const ROWS = Number(process.argv[2] ?? 100_000);
const FETCHES = [ONNX_OUTPUTS.scoreSamples, ONNX_OUTPUTS.decision];

/** Rewrites every TreeEnsembleRegressor attribute through `edit`, for encoding experiments. */
function withForestAttributes(bytes: Uint8Array, edit: (attribute: onnx.IAttributeProto) => void): Uint8Array {
  const model = onnx.ModelProto.decode(bytes);
  for (const node of model.graph?.node ?? []) if (node.opType === 'TreeEnsembleRegressor') node.attribute?.forEach(edit);
  return onnx.ModelProto.encode(model).finish();
}

/** The next float32 above t: `x <= t` ⇔ `x < nextUp(t)` for every float32 x, NaN included (both false). */
function nextUp(t: number): number {
  const f = new Float32Array([t]);
  const bits = new Int32Array(f.buffer);
  if (t === 0) bits[0] = 1;
  else bits[0] += t > 0 ? 1 : -1;
  return f[0];
}

async function main(): Promise<void> {
  const flows = producerFlows(ROWS);
  const pipeline = FeaturePipeline.fit(flows);
  const matrix = pipeline.transform(flows);
  const model = trainIsolationForest(matrix, { seed: 0 });
  const base = exportOnnx(model, pipeline.spec, { modelName: 'strategies', modelVersion: '1' });
  const nTrees = model.treeRoots.length;
  const lt = withForestAttributes(base, (a) => {
    if (a.name === 'nodes_modes') a.strings = a.strings?.map((s) => (new TextDecoder().decode(s) === 'BRANCH_LEQ' ? new TextEncoder().encode('BRANCH_LT') : s));
    if (a.name === 'nodes_values') a.floats = a.floats?.map(nextUp);
  });
  const sum = withForestAttributes(base, (a) => {
    if (a.name === 'aggregate_function') a.s = new TextEncoder().encode('SUM');
    if (a.name === 'target_weights') a.floats = a.floats?.map((w) => w / nTrees);
  });
  const spin = (on: boolean) => ({ session: { intra_op: { allow_spinning: on ? '1' : '0' }, inter_op: { allow_spinning: on ? '1' : '0' } } });
  const variants: [string, Uint8Array, InferenceSession.SessionOptions][] = [
    ['exported, 1 intra-op thread', base, { intraOpNumThreads: 1, executionMode: 'sequential', extra: spin(false) }],
    ['exported, BRANCH_LT + nextUp thresholds, 1 thread', lt, { intraOpNumThreads: 1, executionMode: 'sequential', extra: spin(false) }],
    ['exported, SUM of pre-divided leaves, 1 thread', sum, { intraOpNumThreads: 1, executionMode: 'sequential', extra: spin(false) }],
    ['exported, 2 intra-op threads, no spinning', base, { intraOpNumThreads: 2, executionMode: 'sequential', extra: spin(false) }],
    ['exported, 2 intra-op threads, spinning', base, { intraOpNumThreads: 2, executionMode: 'sequential', extra: spin(true) }],
    ['2 row slices, parallel executor, 2 inter-op threads', rowPartitionedModel(base, 2), { intraOpNumThreads: 1, interOpNumThreads: 2, executionMode: 'parallel', extra: spin(false) }],
    ['2 row slices, parallel executor, 3 inter-op threads', rowPartitionedModel(base, 2), { intraOpNumThreads: 1, interOpNumThreads: 3, executionMode: 'parallel', extra: spin(false) }],
    ['2 row slices, parallel executor, 3 inter-op threads, spinning', rowPartitionedModel(base, 2), { intraOpNumThreads: 1, interOpNumThreads: 3, executionMode: 'parallel', extra: spin(true) }],
    ['4 row slices, parallel executor, 3 inter-op threads', rowPartitionedModel(base, 4), { intraOpNumThreads: 1, interOpNumThreads: 3, executionMode: 'parallel', extra: spin(false) }],
  ];
  const batch = featureMatrix(matrix.data.subarray(0, ROWS * matrix.cols), matrix.cols);
  const input = new Tensor('float32', batch.data, [batch.rows, batch.cols]);
  let reference: Float32Array | undefined;
  console.log(`${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, batch ${ROWS} rows`);
  for (const [name, bytes, options] of variants) {
    const session = await InferenceSession.create(bytes, { executionProviders: ['cpu'], graphOptimizationLevel: 'all', ...options });
    const first = (await session.run({ [ONNX_INPUT]: input }, FETCHES))[ONNX_OUTPUTS.scoreSamples].data as Float32Array;
    reference ??= first;
    let worst = 0;
    for (let i = 0; i < first.length; i++) worst = Math.max(worst, Math.abs(first[i] - reference[i]));
    let best = Infinity;
    for (let repeat = 0; repeat < 5; repeat++) {
      const start = performance.now();
      await session.run({ [ONNX_INPUT]: input }, FETCHES);
      best = Math.min(best, performance.now() - start);
    }
    console.log(`${name.padEnd(62)} ${Math.round((ROWS / best) * 1000).toLocaleString('en-US').padStart(10)} rows/s   max |Δscore| vs first ${worst.toExponential(1)}`);
    await session.release();
  }

  // Where splitting starts to pay: per-call cost of the parallel executor against the rows it saves.
  const single = await InferenceSession.create(base, { executionProviders: ['cpu'], intraOpNumThreads: 1, executionMode: 'sequential', extra: spin(false) });
  const split = await InferenceSession.create(rowPartitionedModel(base, 2), { executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 3, executionMode: 'parallel', extra: spin(false) });
  console.log('\nbatch rows   1 thread rows/s   2 row slices rows/s');
  for (const rows of [1, 64, 256, 512, 1024, 2048, 8192]) {
    const small = new Tensor('float32', matrix.data.subarray(0, rows * matrix.cols), [rows, matrix.cols]);
    const rate = async (session: InferenceSession): Promise<number> => {
      const calls = Math.max(20, Math.round(50_000 / rows));
      let best = Infinity;
      for (let repeat = 0; repeat < 5; repeat++) {
        const start = performance.now();
        for (let c = 0; c < calls; c++) await session.run({ [ONNX_INPUT]: small }, FETCHES);
        best = Math.min(best, performance.now() - start);
      }
      return ((rows * calls) / best) * 1000;
    };
    await rate(single);
    const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(19);
    console.log(`${String(rows).padStart(10)} ${fmt(await rate(single))} ${fmt(await rate(split))}`);
  }
  await single.release();
  await split.release();
}

void main();
