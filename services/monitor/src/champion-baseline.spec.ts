/**
 * @jest-environment ./libs/ml/fixtures/onnxruntime-environment.js
 */
import { featureFields, ForestKernelScorer, MonitorConstraints, MonitorStatistics } from '@flowsentry/ml';
import { MemoryObjects, publishChampion, putSilver, silverFlows } from '../test/monitor-fixtures';
import { BaselineScores } from './baseline-scores';
import { BaselineManifest, championBaseline } from './champion-baseline';
import { ChampionModel, ChampionRef, loadChampionModel } from './champion-model';
import { sketchQuantile, typicalRanges } from './typical-ranges';

/** Two SILVER datasets and a champion trained on them, in a store of its own. */
async function championStore(options: { excludeLabelled?: boolean; version?: string } = {}): Promise<{ objects: MemoryObjects; ref: ChampionRef }> {
  const objects = new MemoryObjects();
  const training = [];
  // Two source streams: 3,000 rows from partition 0, then 3,000 (with 30 scan probes) from partition 1, and 600 more from partition 2.
  for (const [i, seed] of [11, 12, 13].entries()) {
    const table = silverFlows({ rows: i === 2 ? 600 : 3000, seed, startMs: Date.parse('2026-11-20T08:00:00Z') + i * 300_000, partition: i, scanEvery: i === 1 ? 100 : 0 });
    training.push({ dataset: await putSilver(objects, `it.network.events-p${i}-${i}`, table), table });
  }
  return { objects, ref: await publishChampion(objects, training, { modelName: 'flows', version: options.version ?? '1', alertRate: 0.01, excludeLabelled: options.excludeLabelled }) };
}
const FILES = ['manifest.json', ...['', 'streams/p0/', 'streams/p1/'].flatMap((dir) => ['statistics.json', 'constraints.json', 'scores.json'].map((f) => `${dir}${f}`))];

async function build(objects: MemoryObjects, ref: ChampionRef) {
  const model = await loadChampionModel(objects, ref);
  const scorer = await ForestKernelScorer.create(model.onnx);
  return { model, stored: await championBaseline(objects, model, scorer) };
}

describe("a champion's baseline", () => {
  let objects: MemoryObjects;
  let ref: ChampionRef;
  let model: ChampionModel;

  beforeAll(async () => {
    ({ objects, ref } = await championStore());
    ({ model } = await build(objects, ref));
  });

  it('is written under monitor/<model>/<version>/baseline/ with byte-identical content when built again from the same model and data', async () => {
    const again = await championStore();
    // Another store, nothing there yet: built from scratch, same bytes.
    const rebuilt = await build(again.objects, again.ref);
    expect(rebuilt.stored.built).toBe(true);
    for (const file of FILES) {
      const key = `monitor/flows/1/baseline/${file}`;
      expect(again.objects.objects.get(key)!.equals(objects.objects.get(key)!)).toBe(true);
    }
  });

  it('is read back rather than rebuilt once it is there (a redelivery, a rollback to the version)', async () => {
    const { stored } = await build(objects, ref);
    expect(stored.built).toBe(false);
    expect(stored.artifacts.map((a) => a.ref).sort()).toEqual(FILES.map((f) => `monitor/flows/1/baseline/${f}`).sort());
  });

  it('describes exactly the SILVER columns the model reads, over every training row, in Model Monitor shapes', () => {
    const statistics = objects.json<MonitorStatistics>('monitor/flows/1/baseline/statistics.json');
    expect(statistics.dataset.item_count).toBe(6600);
    expect(statistics.features.map((f) => f.name)).toEqual(featureFields(model.spec));
    const constraints = objects.json<MonitorConstraints>('monitor/flows/1/baseline/constraints.json');
    expect(constraints.features.find((f) => f.name === 'conn_state')!.string_constraints!.domains).toEqual(['REJ', 'RSTO', 'S0', 'S1', 'SF']);
    expect(constraints.features.find((f) => f.name === 'src_iat_cv_1m')!.completeness).toBeCloseTo(0.8, 6);
  });

  it("keeps the champion's scores on its training rows: summary, a bounded seeded sample and the alert rate it was fitted for", () => {
    const scores = objects.json<BaselineScores>('monitor/flows/1/baseline/scores.json');
    expect(scores).toMatchObject({ format: 'flowsentry.monitor.baseline-scores/1', modelName: 'flows', version: '1', rows: 6600, threshold: model.threshold });
    expect(scores.alertRate).toBeCloseTo(0.01, 3);
    expect(scores.sample).toMatchObject({ method: 'reservoir', capacity: 5000 });
    expect(scores.sample.values).toHaveLength(5000);
    expect(scores.summary.count).toBe(6600);
  });

  it('describes each source stream with enough rows on its own (a batch is one stream’s sample); the rest only within all rows', () => {
    const manifest = objects.json<BaselineManifest>('monitor/flows/1/baseline/manifest.json');
    expect(manifest.streams).toEqual([
      { stream: 'p0', rows: 3000 },
      { stream: 'p1', rows: 3000 },
    ]);
    expect(objects.json<MonitorStatistics>('monitor/flows/1/baseline/streams/p1/statistics.json').dataset.item_count).toBe(3000);
    expect(objects.objects.has('monitor/flows/1/baseline/streams/p2/statistics.json')).toBe(false);
  });

  it('leaves out the labelled attack rows when the champion was fitted without them: it describes what the model learnt as normal', async () => {
    const clean = await championStore({ excludeLabelled: true, version: '2' });
    await build(clean.objects, clean.ref);
    const manifest = clean.objects.json<BaselineManifest>('monitor/flows/2/baseline/manifest.json');
    expect(manifest).toMatchObject({ rows: 6570, excludedRows: 30 });
    const constraints = clean.objects.json<MonitorConstraints>('monitor/flows/2/baseline/constraints.json');
    expect(constraints.features.find((f) => f.name === 'conn_state')!.string_constraints!.domains).toEqual(['REJ', 'RSTO', 'S0', 'S1', 'SF']);
  });

  it("records the training SILVER's columns for the extra-column check", () => {
    const manifest = objects.json<BaselineManifest>('monitor/flows/1/baseline/manifest.json');
    expect(manifest.columns.map((c) => c.name)).toContain('event_key');
    expect(manifest.columns.find((c) => c.name === 'bytes_in')!.type).toBe('int64');
  });

  it('gives every numeric feature its typical range: p5–p95 of the training column, through the feature’s transform', () => {
    const statistics = objects.json<MonitorStatistics>('monitor/flows/1/baseline/statistics.json');
    const ports = statistics.features.find((f) => f.name === 'src_distinct_dst_ports_1m')!;
    const ranges = typicalRanges(model.spec, statistics);
    expect(ranges.get('log1p_src_distinct_dst_ports_1m')).toEqual({ low: Math.log1p(sketchQuantile(ports, 0.05)!), high: Math.log1p(sketchQuantile(ports, 0.95)!) });
    expect(sketchQuantile(ports, 0.05)).toBe(1);
    expect(sketchQuantile(ports, 0.95)).toBe(4);
    expect(ranges.has('conn_state')).toBe(false);
  });
});
