import { Artifact, LineageEdge, ModelVersion, StepRecord } from '@flowsentry/audit';
import { PipelineEventOf, Topics } from '@flowsentry/contracts';
import { readTopic } from '@flowsentry/messaging';
import { readOnnxMetadata } from '@flowsentry/ml';
import { formatRef, parseRef, sha256Hex, silverRef, writeParquet } from '@flowsentry/storage';
import { eventually } from '../../../test/support/eventually';
import { PipelineFixture } from '../../../test/support/pipeline-fixture';
import { RunningService, startService } from '../../../test/support/service-process';
import { metricValue } from '../../../test/support/tools';
import { CatalogDataset } from '../src/dataset-catalog';
import { packageModel } from '../src/model-package';
import { trainModel } from '../src/model-training';
import { FEATURE_VERSION, silverTable, SilverSpec } from './silver-fixtures';
import { driftEvent, silverReadyEvent } from './trainer-fakes';

type ModelTrained = PipelineEventOf<typeof Topics.modelTrained>;

const HOUR = 3_600_000;
const T0 = Date.parse('2026-10-05T00:00:00Z');

/**
 * The trainer as its own OS process on the real stack, fed SILVER written straight into MinIO and
 * silver.ready events sent to its topic: what it trains, writes, registers and emits, and what a
 * redelivery, a drift burst and a SIGKILL in the middle of training leave behind.
 */
describe('trainer on the real stack (its own OS process)', () => {
  let fx: PipelineFixture;
  let model: string;
  const running: RunningService[] = [];

  beforeEach(async () => {
    fx = new PipelineFixture();
    // One source partition: every dataset below is p0's, and the trainer waits for every partition of network.events.
    await fx.setUp(1);
    model = `${fx.prefix}-flows`;
  });
  afterEach(async () => {
    for (const service of running.splice(0)) {
      service.kill('SIGKILL');
      await service.exited;
    }
    await fx.tearDown();
  });

  const start = async (extra: Record<string, string>) => {
    const service = await startService('trainer', fx.serviceEnv('trainer', { TRAINER_MODEL_NAME: model, ...extra }));
    running.push(service);
    return service;
  };

  /** Hourly SILVER datasets of this environment (ids under its topic prefix), written to MinIO as transform would. */
  const writeDatasets = async (count: number, firstHour: number, rows: number, spec: Partial<SilverSpec> = {}): Promise<CatalogDataset[]> => {
    const out: CatalogDataset[] = [];
    for (let i = firstHour; i < firstHour + count; i++) {
      const datasetId = `${fx.prefix}.network.events-p0-${i * rows}-${(i + 1) * rows - 1}.${FEATURE_VERSION}`;
      const startMs = T0 + i * HOUR;
      const bytes = await writeParquet(silverTable({ rows, seed: 7000 + i, startMs, spanMs: HOUR - 1, attackEvery: 200, ...spec }));
      const ref = silverRef(datasetId, new Date(startMs).toISOString().slice(0, 10));
      await fx.store.put(ref, bytes, 'application/vnd.apache.parquet');
      out.push({ datasetId, silverKey: formatRef(ref), sha256: sha256Hex(bytes), rows, featureVersion: FEATURE_VERSION, minEventTime: startMs, maxEventTime: startMs + HOUR - 1 });
    }
    return out;
  };
  const announce = async (datasets: CatalogDataset[]) => {
    for (const d of datasets) await fx.producer.emit(Topics.silverReady, d.datasetId, silverReadyEvent(d), `run-${d.datasetId}`);
  };
  /**
   * One at a time, each handled before the next is sent. silver.ready is keyed by dataset, so sent
   * together they may be handled in any order; a trigger counts only rows at or before the dataset
   * in hand, and these tests want the newest dataset to be the one that crosses the threshold.
   */
  const announceInOrder = async (datasets: CatalogDataset[]) => {
    for (const d of datasets) {
      const before = await processed();
      await announce([d]);
      await eventually(async () => (await processed()) > before, `silver.ready of ${d.datasetId} to be handled`, 120_000, 100);
    }
  };
  const trainedEvents = async (atLeast: number): Promise<ModelTrained[]> =>
    (await readTopic(fx.kafka, fx.topic(Topics.modelTrained), { count: atLeast, timeoutMs: 5_000 }))
      .map((m) => JSON.parse(m.value!.toString()) as ModelTrained)
      .filter((e) => e.data.modelName === model);
  const versions = () => fx.db.getRepository(ModelVersion).find({ where: { modelName: model }, order: { version: 'ASC' } });
  /** Rethrows with the service's output, which says why an event led nowhere. */
  const withLogs = (service: RunningService) => (err: Error) => {
    throw new Error(`${err.message}\n--- trainer output ---\n${service.logs().slice(-4000)}`);
  };
  const metrics = (service: RunningService) => service.metrics();
  const processed = async () => (await fx.db.query(`SELECT count(*)::int AS n FROM processed_events WHERE consumer_group = $1`, [fx.group('trainer')]))[0].n as number;

  it('trains one candidate from verified SILVER, trains nothing twice for a redelivery, retrains once for a drift burst, and reproduces model.onnx byte for byte', async () => {
    const env = { TRAINER_MIN_ROWS: '4000', TRAINER_WINDOW_ROWS: '20000', TRAINER_RETRAIN_MIN_ROWS: '2000', TRAINER_TREES: '50', TRAINER_ALERT_RATE: '0.01' };
    const trainer = await start(env);
    const before = await writeDatasets(4, 0, 1000);
    await announceInOrder(before.slice(0, 3));
    await announce([before[3]!]);

    // The fourth dataset brings 4,000 rows: one model.trained for version 1.
    const [trained] = await eventually(async () => {
      const seen = await trainedEvents(1);
      return seen.length > 0 && seen;
    }, 'model.trained for version 1', 120_000, 500).catch(withLogs(trainer));
    expect(trained!.data).toMatchObject({
      modelName: model,
      version: '1',
      trigger: 'silver.ready',
      featuresSchemaVersion: FEATURE_VERSION,
      seed: 42,
      trainingDatasets: before.slice(0, 3).map((d) => ({ key: d.silverKey, sha256: d.sha256 })),
      holdoutDatasets: [{ key: before[3]!.silverKey, sha256: before[3]!.sha256 }],
    });
    expect(trained!.data.trainMetrics).toMatchObject({ training_rows: 3000, holdout_rows: 1000 });

    // MODELS: both objects are there and hash to what the event and the registry say.
    const onnx = await fx.store.get(parseRef(trained!.data.onnxKey));
    const card = await fx.store.get(parseRef(trained!.data.metadataKey));
    expect(sha256Hex(onnx)).toBe(trained!.data.sha256);
    expect(readOnnxMetadata(onnx)).toMatchObject({ modelName: model, modelVersion: '1', offset: -trained!.data.threshold });
    const [v1] = await versions();
    expect(v1).toMatchObject({ status: 'candidate', version: '1', onnxRef: trained!.data.onnxKey, sha256: trained!.data.sha256, metadataRef: trained!.data.metadataKey, featureVersion: FEATURE_VERSION });
    expect(v1!.threshold).toBeCloseTo(trained!.data.threshold, 12);
    const artifacts = await fx.db.getRepository(Artifact).find({ where: [{ ref: v1!.onnxRef }, { ref: v1!.metadataRef! }] });
    expect(new Map(artifacts.map((a) => [a.ref, a.sha256]))).toEqual(new Map([[v1!.onnxRef, sha256Hex(onnx)], [v1!.metadataRef!, sha256Hex(card)]]));
    const parents = await fx.db.getRepository(LineageEdge).find({ where: { childRef: v1!.onnxRef } });
    expect(parents.map((e) => [e.parentRef, e.relation]).sort()).toEqual(before.slice(0, 3).map((d) => [d.silverKey, 'trained-on']).sort());
    const step = await fx.db.getRepository(StepRecord).findOneByOrFail({ service: 'trainer', step: 'training', inputRef: before[3]!.silverKey });
    expect(step).toMatchObject({ status: 'succeeded', outputEventId: trained!.id });

    // The same silver.ready again, byte for byte: the guard answers, nothing is trained.
    await announce([before[3]!]);
    await eventually(async () => metricValue(await metrics(trainer), 'flowsentry_trainer_redeliveries_total') === 1, 'the redelivery to be recognised');
    expect(metricValue(await metrics(trainer), 'flowsentry_trainer_models_trained_total')).toBe(1);

    // Drift on the first dataset of a new regime, three times; the regime needs 2,000 rows: one retrain when the second arrives.
    const after = await writeDatasets(3, 4, 1000, { shift: 2 });
    await announceInOrder([after[0]!]);
    for (const n of [1, 2, 3]) await fx.producer.emit(Topics.driftDetected, model, driftEvent(model, after[0]!.datasetId, n), `drift-${n}`);
    await eventually(async () => (await processed()) === 8, 'the drift burst');
    const requests = await fx.db.query(`SELECT status, regime_since FROM training_requests WHERE model_name = $1 ORDER BY id`, [model]);
    expect(requests.map((r: { status: string }) => r.status)).toEqual(['open', 'absorbed', 'absorbed']);
    expect(new Date(requests[0].regime_since).getTime()).toBe(after[0]!.minEventTime);
    await announceInOrder(after.slice(1));
    const retrained = await eventually(async () => {
      const seen = await trainedEvents(2);
      return seen.length === 2 && seen[1];
    }, 'model.trained for version 2', 120_000, 500);
    expect(retrained.data).toMatchObject({ version: '2', trigger: 'drift.detected', trainingDatasets: [{ key: after[0]!.silverKey, sha256: after[0]!.sha256 }] });
    await eventually(async () => (await processed()) === 10, 'the last dataset');
    expect((await versions()).map((v) => v.version)).toEqual(['1', '2']);
    expect((await fx.db.query(`SELECT status, resolved_by FROM training_requests WHERE model_name = $1 ORDER BY id`, [model])).map((r: { status: string; resolved_by: string | null }) => [r.status, r.resolved_by])).toEqual([
      ['done', '2'],
      ['absorbed', null],
      ['absorbed', null],
    ]);

    // Retraining version 1's datasets with its seed, in this process: the identical model.onnx and model.json.
    const recorded = JSON.parse(card.toString());
    const byKey = new Map(before.map((d) => [d.silverKey, d]));
    const training: CatalogDataset[] = recorded.training.datasets.map((d: { key: string }) => byKey.get(d.key)!);
    const holdout: CatalogDataset[] = recorded.holdout.datasets.map((d: { key: string }) => byKey.get(d.key)!);
    const settings = {
      algorithm: { name: 'isolation-forest' as const, trees: recorded.params.nEstimators, maxSamples: recorded.params.maxSamples },
      seed: recorded.seed,
      alertRate: recorded.alertRate,
      excludeLabelled: recorded.training.excludeLabelled,
    };
    const forest = await trainModel(fx.store, training.map((d) => ({ key: d.silverKey, sha256: d.sha256 })), FEATURE_VERSION, settings);
    const again = packageModel(forest, { modelName: model, version: '1', featureVersion: FEATURE_VERSION, training, holdout, settings, trainedAt: recorded.trainedAt, trigger: recorded.trigger });
    expect(again.onnx.equals(onnx)).toBe(true);
    expect(again.card.equals(card)).toBe(true);
  });

  it('after a SIGKILL during training, the restarted trainer leaves exactly one model version', async () => {
    // Many trees on 20,000 rows: training takes seconds, long enough to be killed in the middle of.
    const env = { TRAINER_MIN_ROWS: '20000', TRAINER_WINDOW_ROWS: '20000', TRAINER_RETRAIN_MIN_ROWS: '20000', TRAINER_TREES: '3000' };
    const first = await start(env);
    const datasets = await writeDatasets(4, 0, 5000);
    await announceInOrder(datasets.slice(0, 3));
    await announce([datasets[3]!]);
    await eventually(async () => first.logs().includes('training started'), 'training to start', 120_000, 50).catch(withLogs(first));
    first.kill('SIGKILL');
    await first.exited;
    expect(await versions()).toEqual([]);

    await start(env);
    const [trained] = await eventually(async () => {
      const seen = await trainedEvents(1);
      return seen.length > 0 && seen;
    }, 'model.trained after the restart', 180_000, 1000);
    expect(trained!.data.version).toBe('1');
    const all = await versions();
    expect(all.map((v) => [v.version, v.status])).toEqual([['1', 'candidate']]);
    expect((await fx.store.list('models', `${model}/`)).map((r) => r.key).sort()).toEqual([`${model}/1/model.json`, `${model}/1/model.onnx`]);
    expect(new Set((await trainedEvents(2)).map((e) => e.id)).size).toBe(1);
  });
});
