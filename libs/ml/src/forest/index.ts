export { trainIsolationForest, DEFAULT_SEED } from './train-isolation-forest';
export { percentile } from './training-offset';
export type { IsolationForestOptions } from './train-isolation-forest';
export type { IsolationForestModel, IsolationForestParams, ForestNodes } from './isolation-forest-model';
export { averagePathLength } from './average-path-length';
export { meanPathLengths, scoreFromMeanPathLength } from './path-length';
export { serializeIsolationForest, parseIsolationForest, ModelFormatError, MODEL_FORMAT, MODEL_FORMAT_VERSION } from './model-json';
export { SeededRandom } from './seeded-random';
