// @ts-check
// Entry of one trainingNeighborsOnThreads worker thread (run by ScoringWorkerPool, the protocol the
// scorers' workers speak): loads the pair screen, then on its one request visits tiles taken from the
// shared counter and leaves its neighbour lists in the shared buffers it was sent.
// Plain JavaScript because workers start from a file path; the screen itself is TypeScript. Built, it is
// compiled JS beside this file. From src (jest) nothing can load TypeScript in a new thread, so tsx's
// CommonJS hook (a dev dependency, present wherever src runs) is registered first; under `node --import
// tsx` the worker inherits the hook with the parent's execArgv.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');

const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

/** @typedef {{ training: SharedArrayBuffer, cols: number, tiles: import('./pair-tiles').PairTiles, next: SharedArrayBuffer, bounds: SharedArrayBuffer }} SearchData */
/** @typedef {{ id: number, k: number, neighbors: SharedArrayBuffer, distance2: SharedArrayBuffer, steps: SharedArrayBuffer, filled: SharedArrayBuffer }} ListsRequest */

/** @type {typeof import('./pair-screen')} */
let screens;
/** @type {typeof import('./pair-tiles')} */
let tiles;
/** @type {typeof import('./shared-bounds')} */
let sharedBounds;
try {
  const typescriptHook = 'tsx/cjs'; // not a dependency of the built library: resolved only from src
  if (!existsSync(join(__dirname, 'pair-screen.js')) && !require.extensions['.ts']) require(typescriptHook);
  screens = require('./pair-screen');
  tiles = require('./pair-tiles');
  sharedBounds = require('./shared-bounds');
  port.postMessage({ kind: 'ready' });
} catch (error) {
  port.postMessage({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
}

const data = /** @type {SearchData} */ (workerData);

port.on('message', (/** @type {ListsRequest} */ request) => {
  try {
    const lists = {
      k: request.k,
      neighbors: new Int32Array(request.neighbors),
      distance2: new Float64Array(request.distance2),
      steps: new Float64Array(request.steps),
      filled: new Int32Array(request.filled),
    };
    const screen = new screens.PairScreen(new Float64Array(data.training), data.cols, lists, sharedBounds.SharedBounds.of(data.bounds));
    tiles.visitTiles(screen, data.tiles, new Int32Array(data.next));
    port.postMessage({ kind: 'scored', id: request.id });
  } catch (error) {
    port.postMessage({ kind: 'error', id: request.id, message: error instanceof Error ? error.message : String(error) });
  }
});
