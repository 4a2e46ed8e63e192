// @ts-check
/* global WebAssembly */
// Entry of one ForestKernelScorer worker thread (run by ScoringWorkerPool): instantiates the compiled
// kernel over the scorer's shared memory, then walks the row ranges it is sent. The rows, the forest and
// the sums all live in that memory, so a request is only the kernel's arguments.
// Plain JavaScript for the same reason as onnx-scoring-worker.js: workers start from a file path.
const { parentPort, workerData } = require('node:worker_threads');

/**
 * @typedef {{ module: WebAssembly.Module, memory: WebAssembly.Memory, memoryImport: { module: string, field: string },
 *   exportName: string }} KernelWorkerData
 */

const data = /** @type {KernelWorkerData} */ (workerData);
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

/** @type {(...args: number[]) => void} */
let walk;
try {
  const instance = new WebAssembly.Instance(data.module, { [data.memoryImport.module]: { [data.memoryImport.field]: data.memory } });
  walk = /** @type {(...args: number[]) => void} */ (instance.exports[data.exportName]);
  port.postMessage({ kind: 'ready' });
} catch (error) {
  port.postMessage({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
}

port.on('message', (/** @type {{ id: number, args: number[] }} */ request) => {
  try {
    walk(...request.args);
    port.postMessage({ kind: 'scored', id: request.id });
  } catch (error) {
    port.postMessage({ kind: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
  }
});
