/**
 * @jest-environment ./libs/ml/fixtures/onnxruntime-environment.js
 */
import { FeaturePipeline, ForestKernelScorer, OnnxScorer, onnxSliceRows, readOnnxMetadata, scoreInSlices } from '@flowsentry/ml';
import { readSilverRows, SilverReadError } from '@flowsentry/storage';
import { FEATURE_VERSION, silverDataset } from '../test/silver-fixtures';
import { MemoryObjects } from '../test/trainer-fakes';
import { CatalogDataset } from './dataset-catalog';
import { modelColumns } from './model-features';
import { ModelIdentity, packageModel } from './model-package';
import { AlgorithmSettings } from './anomaly-detector';
import { fitSample, trainModel, TrainingSettings } from './model-training';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-02T08:00:00Z');
const settings: TrainingSettings = { algorithm: { name: 'isolation-forest', trees: 50, maxSamples: 256 }, seed: 42, alertRate: 0.01, excludeLabelled: false };

async function history(objects: MemoryObjects, count: number, rows = 1500, attackEvery = 0): Promise<CatalogDataset[]> {
  const out: CatalogDataset[] = [];
  for (let i = 0; i < count; i++) {
    out.push(await silverDataset((ref, bytes) => objects.put(ref, bytes), `it.network.events-p0-${i}.${FEATURE_VERSION}`, { rows, seed: 100 + i, startMs: T0 + i * HOUR, spanMs: HOUR - 1, attackEvery }));
  }
  return out;
}

function identity(training: CatalogDataset[], holdout: CatalogDataset[], over: Partial<ModelIdentity> = {}): ModelIdentity {
  return {
    modelName: 'network-flows',
    version: '1',
    featureVersion: FEATURE_VERSION,
    training,
    holdout,
    settings,
    trainedAt: '2026-11-02T12:00:03.250Z',
    trigger: { type: 'silver.ready', datasetId: 'it.network.events-p0-0-99.f1.w1-1m-10m' },
    ...over,
  };
}

const refs = (datasets: CatalogDataset[]) => datasets.map((d) => ({ key: d.silverKey, sha256: d.sha256 }));

describe('training a model from SILVER', () => {
  let objects: MemoryObjects;
  let datasets: CatalogDataset[];
  beforeAll(async () => {
    objects = new MemoryObjects();
    datasets = await history(objects, 4, 1500, 50);
  });

  it('gives byte-identical model.onnx and model.json for the same datasets, seed and version', async () => {
    const [training, holdout] = [datasets.slice(0, 3), datasets.slice(3)];
    const first = packageModel(await trainModel(objects, refs(training), FEATURE_VERSION, settings), identity(training, holdout));
    // Another process, other object store, the same bytes: nothing of the first run is reused.
    const elsewhere = new MemoryObjects();
    for (const [key, bytes] of objects.objects) elsewhere.objects.set(key, Buffer.from(bytes));
    const second = packageModel(await trainModel(elsewhere, refs(training), FEATURE_VERSION, settings), identity(training, holdout));
    expect(second.onnx.equals(first.onnx)).toBe(true);
    expect(second.card.equals(first.card)).toBe(true);
    expect(second.onnxSha256).toBe(first.onnxSha256);
  });

  it('draws another forest for another seed, and names its version inside the bytes', async () => {
    const [training, holdout] = [datasets.slice(0, 3), datasets.slice(3)];
    const trained = await trainModel(objects, refs(training), FEATURE_VERSION, settings);
    const v1 = packageModel(trained, identity(training, holdout));
    const v2 = packageModel(trained, identity(training, holdout, { version: '2' }));
    const reseeded = packageModel(await trainModel(objects, refs(training), FEATURE_VERSION, { ...settings, seed: 7 }), identity(training, holdout));
    expect(v2.onnx.equals(v1.onnx)).toBe(false);
    expect(readOnnxMetadata(v2.onnx).modelVersion).toBe('2');
    expect(reseeded.onnx.equals(v1.onnx)).toBe(false);
  });

  it('writes no clock into model.json: trainedAt is the decision\'s event time, and no duration appears', async () => {
    const [training, holdout] = [datasets.slice(0, 3), datasets.slice(3)];
    const pkg = packageModel(await trainModel(objects, refs(training), FEATURE_VERSION, settings), identity(training, holdout));
    const card = JSON.parse(pkg.card.toString());
    expect(card).toMatchObject({
      modelName: 'network-flows',
      version: '1',
      seed: 42,
      alertRate: 0.01,
      threshold: pkg.threshold,
      featuresSchemaVersion: FEATURE_VERSION,
      trainedAt: '2026-11-02T12:00:03.250Z',
      trigger: { type: 'silver.ready', datasetId: 'it.network.events-p0-0-99.f1.w1-1m-10m' },
      onnx: { key: 'models/network-flows/1/model.onnx', sha256: pkg.onnxSha256 },
      training: { rows: 4500, excludedRows: 0, window: { from: '2026-11-02T08:00:00.000Z', to: '2026-11-02T10:59:59.999Z' } },
      holdout: { rows: 1500, datasets: [{ key: holdout[0]!.silverKey, sha256: holdout[0]!.sha256, rows: 1500 }] },
    });
    expect(card.params).toMatchObject({ nEstimators: 50, maxSamples: 256, contamination: 0.01, seed: 42 });
    // The whole card, key by key: nothing measured at training time has a place in it.
    expect(Object.keys(card)).toEqual(['format', 'modelName', 'version', 'algorithm', 'onnx', 'params', 'seed', 'alertRate', 'threshold', 'offset', 'featuresSchemaVersion', 'featureNames', 'featureSpec', 'training', 'holdout', 'trainedAt', 'trigger']);
    expect(Object.keys(card.training)).toEqual(['rows', 'excludeLabelled', 'excludedRows', 'window', 'datasets']);
    const lineage = readOnnxMetadata(pkg.onnx).lineage as { trainingDatasets: unknown[]; holdoutDatasets: unknown[] };
    expect(lineage.trainingDatasets).toEqual(training.map((d) => ({ key: d.silverKey, sha256: d.sha256, rows: d.rows })));
    expect(lineage.holdoutDatasets).toHaveLength(1);
  });

  it('puts the threshold where the alert rate says: that share of training rows scores above it', async () => {
    const training = datasets.slice(0, 3);
    const trained = await trainModel(objects, refs(training), FEATURE_VERSION, settings);
    const pkg = packageModel(trained, identity(training, datasets.slice(3)));
    const rows = await readSilverRows(objects, refs(training), modelColumns(FEATURE_VERSION));
    const records = Array.from({ length: rows.rowCount }, (_, i) => Object.fromEntries(rows.names.map((n, c) => [n, rows.columns[c]![i]])));
    const scorer = await ForestKernelScorer.create(pkg.onnx);
    try {
      const scores = await scorer.score(FeaturePipeline.fromSpec(trained.spec).transform(records));
      const alerts = Array.from(scores.scoreSamples).filter((s) => -s > pkg.threshold).length;
      expect(alerts / rows.rowCount).toBeCloseTo(settings.alertRate, 2);
      expect(alerts).toBe(Array.from(scores.labels).filter((l) => l === -1).length);
    } finally {
      await scorer.release();
    }
  });

  it('leaves labelled attack rows out only when asked', async () => {
    const training = datasets.slice(0, 3);
    expect((await trainModel(objects, refs(training), FEATURE_VERSION, settings)).excluded).toBe(0);
    const excluding = await trainModel(objects, refs(training), FEATURE_VERSION, { ...settings, excludeLabelled: true });
    expect(excluding.excluded).toBe(3 * 30);
    expect(excluding.rows).toBe(4500 - 90);
  });

  it('refuses SILVER whose bytes are not the ones the dataset names', async () => {
    const [first] = datasets;
    await expect(trainModel(objects, [{ key: first!.silverKey, sha256: 'f'.repeat(64) }], FEATURE_VERSION, settings)).rejects.toThrow(SilverReadError);
  });
});

const OTHER_ALGORITHMS: Array<[string, Exclude<AlgorithmSettings, { name: 'isolation-forest' }>]> = [
  ['local-outlier-factor', { name: 'local-outlier-factor', neighbors: 20, maxRows: 1_000 }],
  ['one-class-svm', { name: 'one-class-svm', nu: 0.1, gamma: 'scale', solver: 'nystroem', maxRows: 2_000, components: 50, landmarks: 'farthest-first' }],
  ['one-class-svm', { name: 'one-class-svm', nu: 0.1, gamma: 'scale', solver: 'nystroem', maxRows: 2_000, components: 50, landmarks: 'uniform' }],
  ['one-class-svm', { name: 'one-class-svm', nu: 0.1, gamma: 'scale', solver: 'exact', maxRows: 800, components: 50, landmarks: 'farthest-first' }],
];

describe.each(OTHER_ALGORITHMS)('training a %s from SILVER', (algorithm, options) => {
  const over: TrainingSettings = { ...settings, algorithm: options };
  let objects: MemoryObjects;
  let datasets: CatalogDataset[];
  beforeAll(async () => {
    objects = new MemoryObjects();
    datasets = await history(objects, 4, 1500, 50);
  });

  it(`gives byte-identical model.onnx and model.json for the same datasets, seed and settings (${JSON.stringify(options)})`, async () => {
    const [training, holdout] = [datasets.slice(0, 3), datasets.slice(3)];
    const first = packageModel(await trainModel(objects, refs(training), FEATURE_VERSION, over), identity(training, holdout, { settings: over }));
    const second = packageModel(await trainModel(objects, refs(training), FEATURE_VERSION, over), identity(training, holdout, { settings: over }));
    expect(second.onnx.equals(first.onnx)).toBe(true);
    expect(second.card.equals(first.card)).toBe(true);
    // The seed draws the kept rows (and the landmarks): another seed, another model.
    const reseeded = packageModel(await trainModel(objects, refs(training), FEATURE_VERSION, { ...over, seed: 7 }), identity(training, holdout, { settings: over }));
    expect(reseeded.onnx.equals(first.onnx)).toBe(false);
  });

  it('names the algorithm, its resolved params and the kept rows in model.json and the ONNX metadata', async () => {
    const [training, holdout] = [datasets.slice(0, 3), datasets.slice(3)];
    const trained = await trainModel(objects, refs(training), FEATURE_VERSION, over);
    const pkg = packageModel(trained, identity(training, holdout, { settings: over }));
    const card = JSON.parse(pkg.card.toString());
    expect(card.algorithm).toBe(algorithm);
    expect(card.threshold).toBe(-card.offset);
    expect(card.threshold).toBe(pkg.threshold);
    expect(card.training.rows).toBe(4500);
    expect(card.params).toMatchObject({ scaling: 'standard', seed: 42, maxSamples: options.maxRows });
    if (options.name === 'local-outlier-factor') expect(card.params).toMatchObject({ nNeighbors: 20 });
    if (options.name === 'one-class-svm') expect(card.params).toMatchObject({ nu: 0.1, approximation: options.solver, nComponents: options.solver === 'nystroem' ? 50 : null, landmarks: options.solver === 'nystroem' ? options.landmarks : null });
    const metadata = readOnnxMetadata(pkg.onnx);
    expect(metadata.algorithm).toBe(algorithm);
    expect(metadata.offset).toBe(card.offset);
    expect(metadata.params).toEqual(card.params);
  });

  it('puts the threshold where the alert rate says: that share of all training rows, not only the kept ones, alerts in onnxruntime', async () => {
    const training = datasets.slice(0, 3);
    const trained = await trainModel(objects, refs(training), FEATURE_VERSION, over);
    const pkg = packageModel(trained, identity(training, datasets.slice(3), { settings: over }));
    const rows = await readSilverRows(objects, refs(training), modelColumns(FEATURE_VERSION));
    const records = Array.from({ length: rows.rowCount }, (_, i) => Object.fromEntries(rows.names.map((n, c) => [n, rows.columns[c]![i]])));
    const scorer = await OnnxScorer.create(pkg.onnx);
    try {
      const matrix = FeaturePipeline.fromSpec(trained.spec).transform(records);
      const { scoreSamples } = await scoreInSlices(scorer, matrix, onnxSliceRows(scorer.metadata));
      const alerts = Array.from(scoreSamples).filter((s) => -s > pkg.threshold).length;
      expect(alerts / rows.rowCount).toBeCloseTo(settings.alertRate, 2);
      const decisions = await scorer.score(matrix);
      expect(Array.from(decisions.labels).filter((l) => l === -1).length).toBe(Array.from(decisions.decision).filter((d) => d < 0).length);
      expect(Math.abs(Array.from(decisions.labels).filter((l) => l === -1).length - alerts)).toBeLessThanOrEqual(1);
    } finally {
      await scorer.release();
    }
  });
});

describe('the rows the feature spec is fitted on', () => {
  const rows = Array.from({ length: 1_000 }, (_, i) => i);

  it('is every row of a window up to the limit', () => {
    expect(fitSample(rows, 1_000)).toBe(rows);
  });

  it('spans a larger window evenly, first row to last tenth, the same rows every time', () => {
    const sample = fitSample(rows, 100);
    expect(sample).toHaveLength(100);
    expect(sample[0]).toBe(0);
    expect(sample[99]).toBe(990);
    expect(new Set(sample.map((r) => Math.floor(r / 100))).size).toBe(10);
    expect(fitSample(rows, 100)).toEqual(sample);
  });
});
