import { onnx } from 'onnx-proto';
import { FeaturePipeline } from '../features/feature-pipeline';
import { FeatureRecipe } from '../features/feature-spec';
import { SeededRandom } from '../forest/seeded-random';
import { trainIsolationForest } from '../forest/train-isolation-forest';
import { exportOnnx } from './export-onnx';
import { OnnxMetadataError, readOnnxMetadata } from './onnx-metadata';

const recipes: FeatureRecipe[] = [
  { kind: 'numeric', name: 'log_bytes', field: 'bytes', transform: 'log1p' },
  { kind: 'one-hot', name: 'protocol', field: 'protocol', vocabulary: ['tcp', 'udp'] },
];

function trainingRecords(seed: number): Record<string, unknown>[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: 400 }, () => ({ bytes: random.nextInt(100_000), protocol: random.nextDouble() < 0.7 ? 'tcp' : 'udp' }));
}

function train(seed: number): { bytes: Uint8Array; pipeline: FeaturePipeline } {
  const records = trainingRecords(5);
  const pipeline = FeaturePipeline.fit(records, recipes);
  const model = trainIsolationForest(pipeline.transform(records), { seed, contamination: 0.05 });
  const lineage = { trainingDatasets: [{ datasetId: 'ds-1', sha256: 'ab'.repeat(32) }], runId: 'run-1' };
  return { bytes: exportOnnx(model, pipeline.spec, { modelName: 'flows-iforest', modelVersion: '3', lineage }), pipeline };
}

describe('exportOnnx', () => {
  it('gives byte-identical ONNX for the same data and seed, different bytes for another seed', () => {
    const a = train(1).bytes;
    expect(Buffer.from(train(1).bytes).equals(Buffer.from(a))).toBe(true);
    expect(Buffer.from(train(2).bytes).equals(Buffer.from(a))).toBe(false);
  });

  it('writes the whole forest as a single ai.onnx.ml TreeEnsembleRegressor averaging leaf path lengths', () => {
    const model = onnx.ModelProto.decode(train(1).bytes);
    const graph = model.graph as onnx.GraphProto;
    const ensembles = graph.node.filter((n) => n.opType === 'TreeEnsembleRegressor');
    expect(ensembles).toHaveLength(1);
    expect(ensembles[0].domain).toBe('ai.onnx.ml');
    const attr = (name: string) => (ensembles[0].attribute ?? []).find((a) => a.name === name) as onnx.AttributeProto;
    expect(Buffer.from(attr('aggregate_function').s).toString()).toBe('AVERAGE');
    expect(new Set(attr('nodes_treeids').ints.map(Number)).size).toBe(100);
    expect(graph.output.map((o) => o.name)).toEqual(['score_samples', 'decision_function', 'label']);
    expect(model.opsetImport.map((o) => `${o.domain}:${o.version}`)).toEqual([':17', 'ai.onnx.ml:3']);
  });

  it('records feature names, feature spec, params, version and lineage in metadata_props', () => {
    const { bytes, pipeline } = train(1);
    const metadata = readOnnxMetadata(bytes);
    expect(metadata).toMatchObject({ modelName: 'flows-iforest', modelVersion: '3', featureNames: ['log_bytes', 'protocol=tcp', 'protocol=udp', 'protocol=other'] });
    expect(metadata.featureSpec).toEqual(JSON.parse(JSON.stringify(pipeline.spec)));
    expect(metadata.params).toMatchObject({ nEstimators: 100, maxSamples: 256, contamination: 0.05, seed: 1 });
    expect(metadata.lineage).toEqual({ runId: 'run-1', trainingDatasets: [{ datasetId: 'ds-1', sha256: 'ab'.repeat(32) }] });
    expect(metadata.offset).toBeLessThan(0);
    // The spec read back from the model drives scoring-time features.
    expect(FeaturePipeline.fromSpec(metadata.featureSpec).transform([{ bytes: 10, protocol: 'icmp' }]).data).toEqual(
      pipeline.transform([{ bytes: 10, protocol: 'icmp' }]).data,
    );
  });

  it('refuses a feature spec whose width differs from the model, and reserved metadata keys', () => {
    const records = trainingRecords(5);
    const pipeline = FeaturePipeline.fit(records, recipes);
    const model = trainIsolationForest(pipeline.transform(records), { nEstimators: 2 });
    const narrow = FeaturePipeline.fit(records, [recipes[0]]);
    expect(() => exportOnnx(model, narrow.spec, { modelName: 'm', modelVersion: '1' })).toThrow(/feature spec has 1 columns/);
    expect(() => exportOnnx(model, pipeline.spec, { modelName: 'm', modelVersion: '1', extra: { 'flowsentry.offset': '0' } })).toThrow(/reserved/);
  });

  it('names the algorithm (isolation-forest), and reads a model exported before that key as an isolation forest', () => {
    const { bytes } = train(1);
    expect(readOnnxMetadata(bytes).algorithm).toBe('isolation-forest');
    const legacy = onnx.ModelProto.decode(bytes);
    legacy.metadataProps = legacy.metadataProps.filter((p) => p.key !== 'flowsentry.algorithm');
    expect(readOnnxMetadata(onnx.ModelProto.encode(legacy).finish()).algorithm).toBe('isolation-forest');
    const unknown = onnx.ModelProto.decode(bytes);
    unknown.metadataProps = unknown.metadataProps.map((p) => (p.key === 'flowsentry.algorithm' ? { key: p.key, value: 'k-means' } : p));
    expect(() => readOnnxMetadata(onnx.ModelProto.encode(unknown).finish())).toThrow(/unknown algorithm 'k-means'/);
  });

  it('readOnnxMetadata rejects ONNX models it did not write', () => {
    const foreign = onnx.ModelProto.encode({ irVersion: 8, graph: { name: 'g' } }).finish();
    expect(() => readOnnxMetadata(foreign)).toThrow(OnnxMetadataError);
  });
});
