// @ts-check
// Entry of one OnnxScorer worker thread (run by ScoringWorkerPool): a single-threaded onnxruntime session
// over the model bytes in workerData, scoring slices of rows handed over by the scorer into a shared output.
// Plain JavaScript on purpose: workers are started from a file path, and under jest only the main
// thread's TypeScript is transformed, so a .ts entry would not load there; tsc copies this file to dist
// (allowJs), where the compiled pool finds it beside itself.
const { parentPort, workerData } = require('node:worker_threads');
const { InferenceSession, Tensor } = require('onnxruntime-node');

/**
 * @typedef {{ bytes: Uint8Array, sessionOptions: import('onnxruntime-node').InferenceSession.SessionOptions, input: string,
 *   outputs: [string, string] }} WorkerModel
 * @typedef {{ id: number, input: ArrayBuffer, output: SharedArrayBuffer, rows: number, cols: number, from: number,
 *   to: number }} RowRange
 */

const model = /** @type {WorkerModel} */ (workerData);
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

async function main() {
  /** @type {InferenceSession} */
  let session;
  try {
    session = await InferenceSession.create(model.bytes, model.sessionOptions);
  } catch (error) {
    port.postMessage({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    return;
  }
  const [scoreName, decisionName] = model.outputs;
  // Requests are handled one at a time: run() blocks this thread, so the next message waits its turn.
  port.on('message', async (/** @type {RowRange} */ range) => {
    try {
      const rows = range.to - range.from;
      // The slice arrives as a transferred ArrayBuffer: onnxruntime-node rejects tensors over shared memory
      // ('Invalid argument'), so the input cannot be shared; transfer moves it without a second copy.
      const input = new Float32Array(range.input);
      const results = await session.run({ [model.input]: new Tensor('float32', input, [rows, range.cols]) }, [scoreName, decisionName]);
      // Outputs can be shared: only JS writes them. Layout: all scoreSamples, then all decisions, each in row order of the whole batch.
      new Float32Array(range.output, range.from * 4, rows).set(/** @type {Float32Array} */ (results[scoreName].data));
      new Float32Array(range.output, (range.rows + range.from) * 4, rows).set(/** @type {Float32Array} */ (results[decisionName].data));
      port.postMessage({ kind: 'scored', id: range.id });
    } catch (error) {
      port.postMessage({ kind: 'error', id: range.id, message: error instanceof Error ? error.message : String(error) });
    }
  });
  port.postMessage({ kind: 'ready' });
}

void main();
