/**
 * @jest-environment ./libs/ml/fixtures/onnxruntime-environment.js
 */
import { deterministicId, FlowsentryError, PipelineEventOf, Topics } from '@flowsentry/contracts';
import { ColumnarTable, readParquet, SilverValue, writeParquet } from '@flowsentry/storage';
import { championChangedEvent, commit, context, MemoryMonitorState, MemoryObjects, MemoryRegistry, publishChampion, putSilver, RecordingAlerts, silverFlows, silverReadyEvent, T0 } from '../test/monitor-fixtures';
import { judgeBatchQuality, MonitorViolation } from './batch-quality';
import { ChampionChangedHandler } from './champion-changed.handler';
import { ChampionRef } from './champion-model';
import { ChampionModels } from './champion-models';
import { DriftDocument } from './drift-report';
import { MonitorStateMovedError } from './monitor-state';
import { MonitorSettings, SilverReadyHandler } from './silver-ready.handler';

type Anomaly = PipelineEventOf<typeof Topics.anomaliesDetected>['data'];
type Drift = PipelineEventOf<typeof Topics.driftDetected>['data'];
type Violations = { violations: MonitorViolation[] };

const settings: MonitorSettings = {
  modelName: 'flows',
  violationAlertMin: 1,
  drift: { driftShare: 0.5, scorePsi: 0.2, minRows: 500, consecutive: 3, cooldownMs: 6 * 3_600_000 },
};
const BATCH_MS = 600_000;

describe('silver.ready: scoring, data quality and drift for the champion in force', () => {
  let objects: MemoryObjects;
  let champion: ChampionRef;
  let state: MemoryMonitorState;
  let registry: MemoryRegistry;
  let alerts: RecordingAlerts;
  let handler: SilverReadyHandler;
  let batchNo = 0;

  beforeAll(async () => {
    objects = new MemoryObjects();
    const training = [];
    // Production training data holds the odd attack (the trainer keeps labelled rows by default): a scan's
    // port count then lies inside the range the trees split, instead of beyond it where they cannot see it.
    for (let i = 0; i < 2; i++) {
      const table = silverFlows({ rows: 3000, seed: 100 + i, startMs: T0 + i * 300_000, scanEvery: 400 });
      training.push({ dataset: await putSilver(objects, `it.network.events-p0-t${i}`, table), table });
    }
    champion = await publishChampion(objects, training, { modelName: 'flows', version: '1', alertRate: 0.005 });
  });

  beforeEach(async () => {
    state = new MemoryMonitorState();
    registry = new MemoryRegistry();
    alerts = new RecordingAlerts();
    handler = new SilverReadyHandler({ objects, state, registry, champions: new ChampionModels(objects, { threads: 1 }), alerts }, settings);
    // The champion as champion.changed made it the monitor's own.
    const changed = new ChampionChangedHandler({ state, registry, champions: new ChampionModels(objects, { threads: 1 }) }, 'flows');
    await commit(await changed.handle(championChangedEvent(champion, '2026-11-20T09:00:00.000Z'), context));
  });

  /** A SILVER batch ten minutes of event time after the last one. */
  const batch = async (table: ColumnarTable) => {
    batchNo++;
    const dataset = await putSilver(objects, `it.network.events-p1-${batchNo}`, table);
    return silverReadyEvent(dataset);
  };
  const flows = (spec: Parameters<typeof silverFlows>[0]) => silverFlows({ startMs: T0 + 3_600_000 + batchNo * BATCH_MS, ...spec });
  const dropColumn = (table: ColumnarTable, name: string): ColumnarTable => ({ ...table, columns: table.columns.filter((c) => c.name !== name) });
  const editColumn = (table: ColumnarTable, name: string, edit: (v: unknown, i: number) => unknown): ColumnarTable => ({
    ...table,
    columns: table.columns.map((c) => (c.name === name ? { ...c, values: Array.from(c.values as ArrayLike<unknown>, edit) as never } : c)),
  });
  const handled = async (table: ColumnarTable) => {
    const event = await batch(table);
    const outcome = await handler.handle(event, context);
    await commit(outcome);
    return { event, outcome, anomalies: outcome.outputs.filter((o) => o.topic === Topics.anomaliesDetected).map((o) => o.data as Anomaly) };
  };

  it('sends the port-scan probes to anomalies.detected, with reasons that name the distinct-destination-ports feature, and keeps normal flows within the alert budget', async () => {
    const { anomalies, outcome } = await handled(flows({ rows: 2000, seed: 7, scanEvery: 100 }));
    const scans = anomalies.filter((a) => a.event.label === 'portscan');
    expect(scans.length).toBeGreaterThanOrEqual(18); // of 20
    expect(anomalies.length - scans.length).toBeLessThanOrEqual(20); // ≤ 1 % of 1,980 normal flows at a 0.5 % budget
    for (const a of scans) {
      expect(a.score).toBeGreaterThan(a.threshold);
      expect(a.reasons.length).toBeGreaterThan(0);
      expect(a.reasons.map((r) => r.feature)).toContain('log1p_src_distinct_dst_ports_1m');
      expect(a.modelVersion).toBe('1');
    }
    const ports = scans[0]!.reasons.find((r) => r.feature === 'log1p_src_distinct_dst_ports_1m')!;
    expect(ports.value!).toBeGreaterThan(ports.typicalHigh!);
    expect(outcome.record.details).toMatchObject({ championVersion: '1', rows: 2000, anomalies: anomalies.length });
  });

  it('writes constraint_violations.json and drift.json for the batch under monitor/<model>/<version>/batches/<datasetId>/', async () => {
    const { event, outcome } = await handled(flows({ rows: 2000, seed: 8 }));
    const dir = `monitor/flows/1/batches/${event.data.datasetId}`;
    expect(objects.json<Violations>(`${dir}/constraint_violations.json`)).toEqual({ violations: [] });
    const drift = objects.json<DriftDocument>(`${dir}/drift.json`);
    expect(drift).toMatchObject({ format: 'flowsentry.monitor.drift/1', championVersion: '1', datasetId: event.data.datasetId, rows: 2000, statisticalChecks: true, datasetDrift: false });
    expect(drift.reference).toEqual({ stream: 'p0', rows: 6000 });
    expect(drift.features.map((f) => f.name)).toEqual(['conn_state', 'dst_port', 'log_bytes_out', 'src_distinct_dst_ports_1m', 'src_iat_cv_1m']);
    expect(drift.score.status).toBe('tested');
    expect(drift.score.psi).toBeLessThan(0.1);
    expect(drift.score.baselineAlertRate).toBeCloseTo(0.005, 3);
    expect(outcome.artifacts.map((a) => a.ref)).toEqual([`${dir}/constraint_violations.json`, `${dir}/drift.json`]);
    expect(alerts.raised).toEqual([]);
  });

  it('judges the drift of a batch from a stream the champion never saw against all its training rows', async () => {
    const { event, outcome } = await handled(flows({ rows: 800, seed: 11, partition: 5 }));
    expect(objects.json<DriftDocument>(`monitor/flows/1/batches/${event.data.datasetId}/drift.json`).reference).toEqual({ stream: null, rows: 6000 });
    expect(outcome.record.details).toMatchObject({ reference: 'all training rows' });
  });

  it('a batch without a model column: missing_column_check, not scored (a fill value for every row would make up anomalies), and a high data-quality alert', async () => {
    const { event, outcome } = await handled(dropColumn(flows({ rows: 1000, seed: 9, scanEvery: 50 }), 'src_distinct_dst_ports_1m'));
    const { violations } = objects.json<Violations>(`monitor/flows/1/batches/${event.data.datasetId}/constraint_violations.json`);
    expect(violations).toContainEqual(expect.objectContaining({ feature_name: 'src_distinct_dst_ports_1m', constraint_check_type: 'missing_column_check' }));
    expect(outcome.outputs).toEqual([]);
    expect(outcome.record.details).toMatchObject({ notScored: 'the batch lacks model columns src_distinct_dst_ports_1m' });
    expect(alerts.raised).toEqual([expect.objectContaining({ kind: 'data-quality', severity: 'high', key: 'data-quality:flows:1:missing_column_check:src_distinct_dst_ports_1m' })]);
  });

  it('a new conn_state, a negative count and a column training never had: categorical_values_check, value_range_check, extra_column_check', async () => {
    let table = flows({ rows: 1000, seed: 10 });
    table = editColumn(table, 'conn_state', (v, i) => (i % 10 === 0 ? 'OTH' : v));
    table = editColumn(table, 'src_distinct_dst_ports_1m', (v, i) => (i === 3 ? -5 : v));
    table = { ...table, columns: [...table.columns, { name: 'src_distinct_dst_ports_1h', type: 'double', values: new Float64Array(1000).fill(2) }] };
    const { event } = await handled(table);
    const { violations } = objects.json<Violations>(`monitor/flows/1/batches/${event.data.datasetId}/constraint_violations.json`);
    const checks = violations.map((v) => `${v.constraint_check_type}:${v.feature_name}`);
    expect(checks).toEqual(expect.arrayContaining(['categorical_values_check:conn_state', 'value_range_check:src_distinct_dst_ports_1m', 'extra_column_check:src_distinct_dst_ports_1h']));
    expect(violations.find((v) => v.constraint_check_type === 'categorical_values_check')!.description).toMatch(/Unknown values: "OTH" \(100\)/);
    expect(violations.find((v) => v.constraint_check_type === 'value_range_check')!.description).toMatch(/1 of 1000 values \(0.10%\) are negative \(lowest -5\)/);
    expect(alerts.raised).toEqual([expect.objectContaining({ kind: 'data-quality', severity: 'medium' })]);
  });

  it('raises one drift.detected on the third consecutive drifted batch, with a drift alert, then none during the cool-down', async () => {
    const shifted = () => flows({ rows: 2000, seed: 20 + batchNo, shift: 3 });
    const first = await handled(shifted());
    const second = await handled(shifted());
    expect([first, second].flatMap((h) => h.outcome.outputs.filter((o) => o.topic === Topics.driftDetected))).toEqual([]);
    expect(state.row!.drift.streams).toEqual({ p0: { streak: 2, datasets: [first.event.data.datasetId, second.event.data.datasetId] } });

    const third = await handled(shifted());
    const [drift] = third.outcome.outputs.filter((o) => o.topic === Topics.driftDetected);
    expect(drift!.id).toBe(deterministicId('drift.detected', 'flows', '1', third.event.data.datasetId));
    expect(drift!.key).toBe('flows');
    const data = drift!.data as Drift;
    expect(data).toMatchObject({ modelName: 'flows', championVersion: '1', datasetId: third.event.data.datasetId, reportKey: `monitor/flows/1/batches/${third.event.data.datasetId}/drift.json` });
    expect(data.driftedFeatures.map((f) => f.feature)).toEqual(expect.arrayContaining(['log_bytes_out', 'anomaly_score']));
    expect(data.reason).toMatch(/^3 consecutive drifted batches of stream p0/);
    // The trainer's new regime starts at the confirming batch's first event, in event time.
    expect(data.regimeSince).toBe(third.event.data.minEventTime);
    expect(data.regimeSince).toBeDefined();
    expect(alerts.raised.filter((a) => a.kind === 'drift')).toEqual([expect.objectContaining({ key: 'drift:flows:1', severity: data.severity })]);
    expect(state.row!.drift).toMatchObject({ streams: {}, raisedDataset: third.event.data.datasetId });

    for (let i = 0; i < 4; i++) {
      const later = await handled(shifted());
      expect(later.outcome.outputs.filter((o) => o.topic === Topics.driftDetected)).toEqual([]);
      expect(later.outcome.record.details).toMatchObject({ drift: { verdict: expect.stringMatching(/drifting|cooling-down/) } });
    }
  });

  it('an attack episode is not drift: the flows the champion flags are left out of the drift sample, so three scan-heavy batches raise nothing', async () => {
    const baseline = (await new ChampionModels(objects, { threads: 1 }).load(champion)).baseline;
    for (let i = 0; i < 3; i++) {
      const table = flows({ rows: 1200, seed: 50 + i, scanEvery: 10 });
      const { event, outcome, anomalies } = await handled(table);
      const drift = objects.json<DriftDocument>(`monitor/flows/1/batches/${event.data.datasetId}/drift.json`);
      expect(anomalies.filter((a) => a.event.label === 'portscan').length).toBeGreaterThanOrEqual(90); // of 120 probes
      expect(drift.sample).toEqual({ rows: 1200 - anomalies.length, anomaliesLeftOut: anomalies.length });
      expect(drift.datasetDrift).toBe(false);
      expect(outcome.outputs.filter((o) => o.topic === Topics.driftDetected)).toEqual([]);
      // The same batch with its probes left in reads as a different network.
      const read = await readParquet(await writeParquet(table));
      const all = { rowCount: read.rowCount, names: read.columns.map((c) => c.name), columns: read.columns.map((c) => c.values as SilverValue[]) };
      expect(judgeBatchQuality(baseline, all, { driftShare: 0.5 }).drift.datasetDrift).toBe(true);
    }
    expect(state.row!.drift.streams).toEqual({ p0: { streak: 0, datasets: [] } });
  });

  it('before any champion.changed, scores with the registry’s champion and records it as its own on the first batch', async () => {
    state.row = undefined;
    registry.promote(champion, '2026-11-20T09:00:00.000Z');
    const { outcome } = await handled(flows({ rows: 600, seed: 30 }));
    expect(outcome.record.status).toBeUndefined();
    expect(state.row!.champion).toMatchObject({ version: '1', source: 'registry', changedAt: '2026-11-20T09:00:00.000Z' });
  });

  it('skips the batch when the model has no champion at all', async () => {
    state.row = undefined;
    const { outcome } = await handled(flows({ rows: 600, seed: 31 }));
    expect(outcome).toMatchObject({ outputs: [], artifacts: [], record: { status: 'skipped', details: { reason: 'flows has no champion yet' } } });
    expect(state.row).toBeUndefined();
  });

  it('handles a redelivery that comes before the commit alike (same ids, same report bytes); a state moved meanwhile makes the commit retriable', async () => {
    const event = await batch(flows({ rows: 1500, seed: 40, scanEvery: 150 }));
    const once = await handler.handle(event, context);
    const twice = await handler.handle(event, context);
    expect(twice.outputs.map((o) => o.id)).toEqual(once.outputs.map((o) => o.id));
    expect(twice.artifacts).toEqual(once.artifacts);
    await commit(once);
    const error = await commit(twice).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(MonitorStateMovedError);
    expect((error as FlowsentryError).retriable).toBe(true);
  });
});
