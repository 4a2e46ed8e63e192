import { IsolationForestModel, IsolationForestParams } from './isolation-forest-model';

export const MODEL_FORMAT = 'flowsentry.isolation-forest';
export const MODEL_FORMAT_VERSION = 1;

/**
 * Model JSON with a fixed key order and plain number arrays, so the same model always serialises to
 * the same bytes (content hashes in lineage stay stable). float32 thresholds are written as the exact
 * double of their float32 value and read back with Math.fround, which round-trips losslessly.
 */
export function serializeIsolationForest(model: IsolationForestModel): string {
  const { params, nodes } = model;
  return JSON.stringify({
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    nFeatures: model.nFeatures,
    params: {
      nEstimators: params.nEstimators,
      maxSamples: params.maxSamples,
      maxFeatures: params.maxFeatures,
      bootstrap: params.bootstrap,
      contamination: params.contamination,
      maxDepth: params.maxDepth,
      seed: params.seed,
    },
    offset: model.offset,
    treeRoots: Array.from(model.treeRoots),
    nodes: {
      feature: Array.from(nodes.feature),
      threshold: Array.from(nodes.threshold),
      left: Array.from(nodes.left),
      right: Array.from(nodes.right),
      size: Array.from(nodes.size),
      pathLength: Array.from(nodes.pathLength),
    },
  });
}

export class ModelFormatError extends Error {
  override readonly name = 'ModelFormatError';
}

export function parseIsolationForest(json: string): IsolationForestModel {
  const doc = JSON.parse(json) as Record<string, unknown>;
  if (doc.format !== MODEL_FORMAT || doc.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new ModelFormatError(`expected ${MODEL_FORMAT} v${MODEL_FORMAT_VERSION}, got ${String(doc.format)} v${String(doc.formatVersion)}`);
  }
  const nodes = doc.nodes as Record<string, number[]>;
  const count = nodes.feature.length;
  for (const key of ['threshold', 'left', 'right', 'size', 'pathLength']) {
    if (nodes[key]?.length !== count) throw new ModelFormatError(`nodes.${key} has ${nodes[key]?.length} entries, expected ${count}`);
  }
  return {
    nFeatures: doc.nFeatures as number,
    params: doc.params as IsolationForestParams,
    offset: doc.offset as number,
    treeRoots: Int32Array.from(doc.treeRoots as number[]),
    nodes: {
      feature: Int32Array.from(nodes.feature),
      threshold: Float32Array.from(nodes.threshold),
      left: Int32Array.from(nodes.left),
      right: Int32Array.from(nodes.right),
      size: Int32Array.from(nodes.size),
      pathLength: Float64Array.from(nodes.pathLength),
    },
  };
}
