import { FeaturePipeline, ForestKernelScorer, readOnnxMetadata } from '@flowsentry/ml';
import { readSilverRows, SilverReadError } from '@flowsentry/storage';
import { FEATURE_VERSION, silverDataset } from '../test/silver-fixtures';
import { MemoryObjects } from '../test/trainer-fakes';
import { CatalogDataset } from './dataset-catalog';
import { modelColumns } from './model-features';
import { ModelIdentity, packageModel } from './model-package';
import { fitSample, ForestSettings, trainForest } from './model-training';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-02T08:00:00Z');
const settings: ForestSettings = { seed: 42, trees: 50, maxSamples: 256, alertRate: 0.01, excludeLabelled: false };

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
    const first = packageModel(await trainForest(objects, refs(training), FEATURE_VERSION, settings), identity(training, holdout));
    // Another process, other object store, the same bytes: nothing of the first run is reused.
    const elsewhere = new MemoryObjects();
    for (const [key, bytes] of objects.objects) elsewhere.objects.set(key, Buffer.from(bytes));
    const second = packageModel(await trainForest(elsewhere, refs(training), FEATURE_VERSION, settings), identity(training, holdout));
    expect(second.onnx.equals(first.onnx)).toBe(true);
    expect(second.card.equals(first.card)).toBe(true);
    expect(second.onnxSha256).toBe(first.onnxSha256);
  });

  it('draws another forest for another seed, and names its version inside the bytes', async () => {
    const [training, holdout] = [datasets.slice(0, 3), datasets.slice(3)];
    const trained = await trainForest(objects, refs(training), FEATURE_VERSION, settings);
    const v1 = packageModel(trained, identity(training, holdout));
    const v2 = packageModel(trained, identity(training, holdout, { version: '2' }));
    const reseeded = packageModel(await trainForest(objects, refs(training), FEATURE_VERSION, { ...settings, seed: 7 }), identity(training, holdout));
    expect(v2.onnx.equals(v1.onnx)).toBe(false);
    expect(readOnnxMetadata(v2.onnx).modelVersion).toBe('2');
    expect(reseeded.onnx.equals(v1.onnx)).toBe(false);
  });

  it('writes no clock into model.json: trainedAt is the decision\'s event time, and no duration appears', async () => {
    const [training, holdout] = [datasets.slice(0, 3), datasets.slice(3)];
    const pkg = packageModel(await trainForest(objects, refs(training), FEATURE_VERSION, settings), identity(training, holdout));
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
    const trained = await trainForest(objects, refs(training), FEATURE_VERSION, settings);
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
    expect((await trainForest(objects, refs(training), FEATURE_VERSION, settings)).excluded).toBe(0);
    const excluding = await trainForest(objects, refs(training), FEATURE_VERSION, { ...settings, excludeLabelled: true });
    expect(excluding.excluded).toBe(3 * 30);
    expect(excluding.rows).toBe(4500 - 90);
  });

  it('refuses SILVER whose bytes are not the ones the dataset names', async () => {
    const [first] = datasets;
    await expect(trainForest(objects, [{ key: first!.silverKey, sha256: 'f'.repeat(64) }], FEATURE_VERSION, settings)).rejects.toThrow(SilverReadError);
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
