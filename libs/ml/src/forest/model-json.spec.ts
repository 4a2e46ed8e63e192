import { featureMatrix } from '../features/feature-matrix';
import { referenceScore } from '../scoring/reference-score';
import { ModelFormatError, parseIsolationForest, serializeIsolationForest } from './model-json';
import { trainIsolationForest } from './train-isolation-forest';

describe('model JSON', () => {
  const matrix = featureMatrix(Float32Array.from({ length: 600 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1), 3);

  it('round-trips a model losslessly: same bytes and same scores after parsing', () => {
    const model = trainIsolationForest(matrix, { seed: 3, contamination: 0.1 });
    const json = serializeIsolationForest(model);
    const parsed = parseIsolationForest(json);
    expect(serializeIsolationForest(parsed)).toBe(json);
    expect(referenceScore(parsed, matrix).scoreSamples).toEqual(referenceScore(model, matrix).scoreSamples);
  });

  it('refuses documents of another format or with ragged node arrays', () => {
    expect(() => parseIsolationForest('{"format":"other","formatVersion":1}')).toThrow(ModelFormatError);
    const doc = JSON.parse(serializeIsolationForest(trainIsolationForest(matrix, { nEstimators: 2 })));
    doc.nodes.left.pop();
    expect(() => parseIsolationForest(JSON.stringify(doc))).toThrow(/nodes.left/);
  });
});
