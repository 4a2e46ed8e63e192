import { writeFileSync } from 'node:fs';
import { buildEvent, CONN_STATES, deterministicId, PipelineEventOf, Topics } from '@flowsentry/contracts';
import { readTopic } from '@flowsentry/messaging';
import { ColumnarTable, formatRef, parseRef, readParquet, readSilverRows, sha256Hex, silverRef, writeParquet } from '@flowsentry/storage';
import { eventually } from '../../../test/support/eventually';
import { PipelineFixture } from '../../../test/support/pipeline-fixture';
import { RunningService, startService } from '../../../test/support/service-process';
import { runCli, runTrafficProducer } from '../../../test/support/tools';

type SilverReady = PipelineEventOf<typeof Topics.silverReady>;
type Anomaly = PipelineEventOf<typeof Topics.anomaliesDetected>;
/** What the monitor's step records say of a batch (silver-ready.handler.ts). */
type StepDetails = { championVersion?: string; datasetId?: string; anomalies?: number; notScored?: string };

/**
 * Traffic: one simulated regime for both phases (the same network, the same time scale: window
 * features count flows per simulated minute, so another scale would be another network). The champion is trained on the
 * first phase, the producer's default mix, with its labelled attack rows left out
 * (TRAINER_EXCLUDE_LABELLED): the producer puts ~9 % attack flows into every stretch of traffic,
 * far above the 0.1 % an Isolation Forest's contamination assumes, and a forest fitted on them
 * learns the attacks as normal (measured: 11 % of port-scan flows, no other attack flow, alerted).
 * The second phase, a day later, carries more attacks so that every type has flows to measure.
 */
const TIME_SCALE = '1200';
const TRAINING_EVENTS = 24_000;
const SCORED_EVENTS = 40_000;
/** A Tuesday, then the Wednesday after: the producer's weekends are another traffic mix (~30 % of the people, the same machines). */
const TRAINING_START = '2026-11-17T08:00:00Z';
const SCORED_START = '2026-11-18T08:00:00Z';
/** One seed for both phases: the same simulated organisation (hosts, servers, sites), at another time. */
const SEED = 'monitor-it';
/**
 * Ingest batches of 2,000 flows. A batch of a SYN flood or a scan then holds well over 1 MB of
 * anomalies for one source IP, one key and so one partition: more than the broker takes in one
 * record batch, which the producer splits into requests under the limit (libs/messaging
 * request-chunks.ts). The detection figures below count every one of them.
 */
const INGEST_BATCH = '2000';

/**
 * Bars per attack type at the champion's own threshold (the trainer's 0.1 % alert budget), from
 * measured runs (docs/MONITOR.md, "Detection on producer traffic"). recall: flows of the type
 * alerted among those scored; precision: alerts on the type among all alerts while its episode ran
 * (what an analyst triaging during the attack sees). Scans and SYN floods sit far above the
 * threshold (measured over five runs: recall 0.999–1.000, precision ≥ 0.998), so 0.95 leaves
 * room only for a different forest. Brute force sits just under it (its median at the 99.5th
 * percentile of normal scores; measured recall 0.02–0.45 over five runs, 0.96 at a 1 % budget):
 * its recall is the threshold's noise and gets no bar, its precision does (measured 0.96–1.00).
 * Exfiltration and beaconing are not flagged at this budget (0 of 24 each in every run; their
 * medians at the 99.4th and the 60th percentile of normal scores), which the report states instead
 * of hiding: the test requires only that they were in the traffic.
 */
const BARS: Record<string, { recall: number | null; precision: number } | null> = {
  portscan: { recall: 0.95, precision: 0.95 },
  synflood: { recall: 0.95, precision: 0.95 },
  bruteforce: { recall: null, precision: 0.9 },
  exfiltration: null,
  beaconing: null,
};

/**
 * What each attack changes, after the producer's description of it (tools/producer README), as
 * model features: every anomaly of the type must name at least one among its reasons. The scan is
 * one source probing many ports of one host, nearly all refused or unanswered: distinct
 * destination ports, connections of the pair, the failed and small-flow shares, conn_state (the
 * forest leans on the failures: the scanning hosts' own normal flows already carry high
 * distinct-port counts in the training data).
 */
const CHANGED_FEATURES: Record<string, RegExp> = {
  portscan: /^(log1p_src_distinct_dst_ports_|log1p_pair_conn_count_|src_failed_share_|src_small_flow_share_|conn_state$)/,
  synflood: /^(log_bytes_in|log_packets_in|log_bytes_per_packet_in|bytes_out_share|log_duration_ms|log_bytes_per_ms|conn_state|src_failed_share_|src_small_flow_share_)/,
  bruteforce: /^(log1p_pair_conn_count_|log1p_src_conn_count_|src_failed_share_|pair_iat_|conn_state$)/,
  exfiltration: /^(log_bytes_out|log_packets_out|log_bytes_per_packet_out|bytes_out_share|log_duration_ms|log_bytes_per_ms|src_bytes_out_share_)/,
  beaconing: /^(pair_iat_|log1p_pair_conn_count_)/,
};

/**
 * The monitor among the other four services, each its own OS process, fed by the traffic producer:
 * with a champion in place, attacks come out on anomalies.detected with reasons; broken batches come
 * out as violations in the MONITOR layer.
 */
describe('monitor on the real stack (ingest, transform, trainer, evaluator, monitor as processes)', () => {
  const fx = new PipelineFixture();
  const model = `${fx.prefix}-flows`;
  const running: RunningService[] = [];
  const monitorEnv = () => fx.serviceEnv('monitor', { MONITOR_MODEL_NAME: model, MONITOR_DRIFT_CONSECUTIVE: '1000' });

  const produce = (count: number, seed: string, start: string, extra: string[] = []) =>
    runTrafficProducer(fx.prefix, ['--count', String(count), '--rate', '2000', '--time-scale', TIME_SCALE, '--fast', '--seed', seed, '--start', start, '--attacks', 'all', ...extra]);
  const silverReadies = async (): Promise<SilverReady[]> =>
    (await readTopic(fx.kafka, fx.topic(Topics.silverReady), { timeoutMs: 20_000, idleMs: 3_000 })).map((m) => JSON.parse(m.value!.toString()) as SilverReady);
  const monitorSteps = async (): Promise<Map<string, { status: string; details: StepDetails }>> => {
    const rows: Array<{ input_ref: string; status: string; details: StepDetails }> = await fx.db.query(
      `SELECT input_ref, status, details FROM step_records WHERE service = 'monitor' AND step = 'drift_check' AND input_ref LIKE $1`,
      [`silver/%/${fx.prefix}.%`],
    );
    return new Map(rows.map((r) => [r.input_ref, { status: r.status, details: r.details }]));
  };
  const monitorChampion = async (): Promise<string | undefined> =>
    (await fx.db.query(`SELECT version FROM monitor_champions WHERE consumer_group = $1 AND model_name = $2`, [fx.group('monitor'), model]))[0]?.version;
  /** Every silver.ready so far, once the monitor has handled each of them. */
  const allHandled = async (): Promise<SilverReady[]> =>
    eventually(
      async () => {
        const ready = await silverReadies();
        const steps = await monitorSteps();
        return ready.every((r) => steps.has(r.data.silverKey)) && ready;
      },
      'the monitor to handle every silver.ready',
      240_000,
      2_000,
    );

  beforeAll(async () => {
    await fx.setUp(3);
    const env = (name: string, extra: Record<string, string>) => fx.serviceEnv(name, extra);
    running.push(await startService('ingest', env('ingest', { INGEST_BATCH_MAX_EVENTS: INGEST_BATCH, INGEST_BATCH_MAX_WAIT_MS: '300' })));
    running.push(await startService('transform', env('transform', {})));
    running.push(await startService('trainer', env('trainer', { TRAINER_MODEL_NAME: model, TRAINER_MIN_ROWS: '20000', TRAINER_WINDOW_ROWS: '20000', TRAINER_RETRAIN_MIN_ROWS: '20000', TRAINER_EXCLUDE_LABELLED: 'true' })));
    running.push(await startService('evaluator', env('evaluator', { EVALUATOR_ANNOUNCE_INTERVAL_MS: '250', EVALUATOR_ANNOUNCE_MODEL_PREFIX: fx.prefix, REGISTRY_API_TOKEN: 'monitor-it-token-0123456789' })));
    // Detection is measured against one champion: drift (which would retrain it mid-run) has its own test.
    running.push(await startService('monitor', monitorEnv()));

    await produce(TRAINING_EVENTS, SEED, TRAINING_START);
    await eventually(async () => (await monitorChampion()) === '1', 'the monitor to follow champion v1', 300_000, 1_000);
  }, 600_000);

  afterAll(async () => {
    if (process.env.MONITOR_IT_LOGS) for (const [i, service] of running.entries()) writeFileSync(`${process.env.MONITOR_IT_LOGS}-${i}.log`, service.logs());
    for (const service of running.splice(0)) {
      service.kill('SIGKILL');
      await service.exited;
    }
    await fx.tearDown();
  });

  it('sends the attack episodes to anomalies.detected: precision and recall per attack type, reasons naming what the attack changes', async () => {
    await produce(SCORED_EVENTS, SEED, SCORED_START, ['--attack-share', '0.3']);
    await eventually(
      async () => (await silverReadies()).reduce((n, r) => n + r.data.quality.inputRows, 0) >= TRAINING_EVENTS + SCORED_EVENTS,
      'transform to land every produced flow in SILVER',
      240_000,
      2_000,
    );
    const ready = await allHandled();
    const steps = await monitorSteps();
    const scored = ready.filter((r) => Date.parse(r.data.minEventTime!) >= Date.parse(SCORED_START) && steps.get(r.data.silverKey)!.details.championVersion !== undefined);
    expect(scored.length).toBeGreaterThan(0);
    expect(scored.every((r) => steps.get(r.data.silverKey)!.status === 'succeeded')).toBe(true);
    const scoredIds = new Set(scored.map((r) => r.data.datasetId));

    // Ground truth: the producer's labels of every flow the champion scored.
    const truth = await readSilverRows(fx.store, scored.map((r) => ({ key: r.data.silverKey, sha256: r.data.sha256 })), ['label', 'ts']);
    const labels = truth.columns[0]!;
    const times = truth.columns[1]! as number[];
    const flows: Record<string, number> = {};
    const episodes: Record<string, { from: number; to: number }> = {};
    labels.forEach((l, i) => {
      const label = String(l);
      flows[label] = (flows[label] ?? 0) + 1;
      if (label === 'normal') return;
      const e = (episodes[label] ??= { from: Infinity, to: -Infinity });
      e.from = Math.min(e.from, times[i]!);
      e.to = Math.max(e.to, times[i]!);
    });

    // Every anomaly the monitor committed (the training phase's later batches were scored too), read once all are on the topic.
    const committed = [...steps.values()].reduce((n, s) => n + (s.details.anomalies ?? 0), 0);
    const expectedAnomalies = scored.reduce((n, r) => n + (steps.get(r.data.silverKey)!.details.anomalies ?? 0), 0);
    const onTopic = await readTopic(fx.kafka, fx.topic(Topics.anomaliesDetected), { count: committed, timeoutMs: 180_000 });
    expect(onTopic).toHaveLength(committed);
    const keys = new Map(onTopic.map((m) => [(JSON.parse(m.value!.toString()) as Anomaly).id, m.key?.toString()]));
    const anomalies = onTopic.map((m) => JSON.parse(m.value!.toString()) as Anomaly).filter((a) => scoredIds.has(a.data.datasetId));
    expect(anomalies).toHaveLength(expectedAnomalies);
    expect(new Set(anomalies.map((a) => a.id)).size).toBe(anomalies.length);

    const measured: Record<string, unknown> = {};
    const normalAlerts = anomalies.filter((a) => a.data.event.label === 'normal');
    for (const attack of Object.keys(BARS)) {
      const hits = anomalies.filter((a) => a.data.event.label === attack);
      const episode = episodes[attack];
      const falseInEpisode = episode ? normalAlerts.filter((a) => inside(a.data.event.ts, episode)).length : 0;
      const named = hits.filter((a) => a.data.reasons.some((r) => CHANGED_FEATURES[attack]!.test(r.feature))).length;
      const reasonCounts: Record<string, number> = {};
      for (const a of hits) for (const r of a.data.reasons) reasonCounts[r.feature] = (reasonCounts[r.feature] ?? 0) + 1;
      measured[attack] = {
        flows: flows[attack] ?? 0,
        alerts: hits.length,
        recall: hits.length / Math.max(1, flows[attack] ?? 0),
        episodePrecision: hits.length / Math.max(1, hits.length + falseInEpisode),
        falseAlertsInEpisode: falseInEpisode,
        namingChangedFeature: hits.length ? named / hits.length : null,
        topReasons: Object.entries(reasonCounts).sort((x, y) => y[1] - x[1]).slice(0, 8),
      };
    }
    measured.normal = { flows: flows.normal, alerts: normalAlerts.length, falsePositiveRate: normalAlerts.length / Math.max(1, flows.normal ?? 0) };
    measured.overall = { flows: truth.rowCount, alerts: anomalies.length, precision: (anomalies.length - normalAlerts.length) / Math.max(1, anomalies.length), batches: scored.length };
    if (process.env.MONITOR_IT_MEASUREMENTS) writeFileSync(process.env.MONITOR_IT_MEASUREMENTS, JSON.stringify(measured, null, 2));

    for (const [attack, bar] of Object.entries(BARS)) {
      const m = measured[attack] as { flows: number; recall: number; episodePrecision: number; alerts: number; namingChangedFeature: number | null };
      expect({ attack, scored: m.flows > 0 }).toEqual({ attack, scored: true });
      // Objects, so that a failure names the attack and the figure.
      if (bar?.recall != null) expect({ attack, recall: m.recall, bar: bar.recall, met: m.recall >= bar.recall }).toMatchObject({ met: true });
      if (bar && m.alerts > 0) expect({ attack, precision: m.episodePrecision, bar: bar.precision, met: m.episodePrecision >= bar.precision }).toMatchObject({ met: true });
      if (m.alerts > 0) expect({ attack, named: m.namingChangedFeature }).toEqual({ attack, named: 1 });
    }
    // Normal flows of the next day alert at 0.12–0.14 % (measured) against the 0.1 % the champion was fitted for.
    expect((measured.normal as { falsePositiveRate: number }).falsePositiveRate).toBeLessThanOrEqual(0.005);
    // The operator's view of the same figures: `flowsentry anomalies --labelled` counts every flow the
    // monitor scored (both phases) and every anomaly, per label.
    const allScored = ready.filter((r) => steps.get(r.data.silverKey)!.details.championVersion !== undefined && !steps.get(r.data.silverKey)!.details.notScored);
    const allLabels = (await readSilverRows(fx.store, allScored.map((r) => ({ key: r.data.silverKey, sha256: r.data.sha256 })), ['label'])).columns[0]!;
    const cli = JSON.parse(await runCli(fx.prefix, ['anomalies', '--model', model, '--labelled', '--json'])) as { detection: { byLabel: Array<{ label: string; flows: number; alerts: number }> } };
    for (const row of cli.detection.byLabel) {
      expect({ label: row.label, flows: row.flows }).toEqual({ label: row.label, flows: allLabels.filter((l) => l === row.label).length });
      expect({ label: row.label, alerts: row.alerts }).toEqual({ label: row.label, alerts: onTopic.filter((m) => (JSON.parse(m.value!.toString()) as Anomaly).data.event.label === row.label).length });
    }
    expect(cli.detection.byLabel.map((r) => r.label).sort()).toEqual([...new Set(allLabels.map(String))].sort());

    for (const a of anomalies) {
      expect(keys.get(a.id)).toBe(a.data.event.src_ip);
      expect(a.data.modelName).toBe(model);
      expect(a.data.score).toBeGreaterThan(a.data.threshold);
      expect(a.data.reasons.length).toBeGreaterThan(0);
    }
  }, 900_000);

  it('a batch with a missing column, a new category or out-of-range values yields the matching violations in constraint_violations.json', async () => {
    const ready = await allHandled();
    const steps = await monitorSteps();
    const source = ready.find((r) => steps.get(r.data.silverKey)!.details.championVersion === '1' && r.data.rows >= 500)!;
    const table = await readParquet(await fx.store.get(parseRef(source.data.silverKey)));
    const constraints = JSON.parse((await fx.store.get({ layer: 'monitor', key: `${model}/1/baseline/constraints.json` })).toString());
    const domain: string[] = constraints.features.find((f: { name: string }) => f.name === 'conn_state').string_constraints.domains;
    const unseen = CONN_STATES.find((s) => !domain.includes(s)) ?? 'XX';

    const column = (t: ColumnarTable, name: string) => t.columns.find((c) => c.name === name)!;
    const edited = (edit: (t: ColumnarTable) => ColumnarTable) => edit({ rowCount: table.rowCount, columns: table.columns.map((c) => ({ ...c, values: Array.from(c.values) })) });
    const variants: Record<string, ColumnarTable> = {
      missing: edited((t) => ({ ...t, columns: t.columns.filter((c) => c.name !== 'src_distinct_dst_ports_1m') })),
      category: edited((t) => {
        const states = column(t, 'conn_state').values as Array<string | null>;
        for (let i = 0; i < states.length; i += 20) states[i] = unseen;
        return t;
      }),
      range: edited((t) => {
        const bytes = column(t, 'log_bytes_in').values as number[];
        for (const i of [0, 1, 2]) bytes[i] = -1;
        return t;
      }),
    };
    const sent: Record<string, string> = {};
    for (const [name, variant] of Object.entries(variants)) {
      const datasetId = `${source.data.datasetId}-${name}`;
      const bytes = await writeParquet(variant);
      const ref = silverRef(datasetId, source.data.silverKey.split('/')[1]!.slice('date='.length));
      await fx.store.put(ref, bytes, 'application/vnd.apache.parquet');
      const event = buildEvent(Topics.silverReady, {
        id: deterministicId('monitor-it', datasetId),
        service: 'transform',
        subject: datasetId,
        data: { ...source.data, datasetId, silverKey: formatRef(ref), sha256: sha256Hex(bytes) },
      });
      await fx.producer.emit(Topics.silverReady, datasetId, event, `monitor-it-${name}`);
      sent[name] = datasetId;
    }
    await allHandled();

    const violations = async (datasetId: string): Promise<Array<{ feature_name: string; constraint_check_type: string; description: string }>> =>
      JSON.parse((await fx.store.get({ layer: 'monitor', key: `${model}/1/batches/${datasetId}/constraint_violations.json` })).toString()).violations;
    expect(await violations(sent.missing!)).toContainEqual(expect.objectContaining({ feature_name: 'src_distinct_dst_ports_1m', constraint_check_type: 'missing_column_check' }));
    const category = (await violations(sent.category!)).find((v) => v.constraint_check_type === 'categorical_values_check');
    expect(category).toMatchObject({ feature_name: 'conn_state', description: expect.stringContaining(JSON.stringify(unseen)) });
    const range = (await violations(sent.range!)).find((v) => v.constraint_check_type === 'value_range_check');
    expect(range).toMatchObject({ feature_name: 'log_bytes_in', description: expect.stringMatching(/3 of \d+ values .* are negative \(lowest -1\)/) });
    // A batch the model cannot read is reported, not scored.
    const after = await monitorSteps();
    const missingStep = [...after.entries()].find(([key]) => key.includes(sent.missing!))![1];
    expect(missingStep.details).toMatchObject({ anomalies: 0, notScored: 'the batch lacks model columns src_distinct_dst_ports_1m' });
  }, 300_000);

  it('SIGKILL of the monitor mid-run, then a restart: every anomaly of every batch is on the topic, none twice (by event id)', async () => {
    const before = new Set((await monitorSteps()).keys());
    const fresh = async () => [...(await monitorSteps()).entries()].filter(([key]) => !before.has(key));
    const producing = produce(30_000, SEED, '2026-11-19T08:00:00Z', ['--attack-share', '0.3']);
    await eventually(async () => (await fresh()).length >= 2, 'the monitor to handle the first batches of the new traffic', 120_000, 100);
    const monitor = running.pop()!;
    monitor.kill('SIGKILL');
    await monitor.exited;
    const handledAtKill = (await fresh()).length;
    running.push(await startService('monitor', monitorEnv()));
    await producing;
    await eventually(
      async () => (await silverReadies()).reduce((n, r) => n + r.data.quality.inputRows, 0) >= TRAINING_EVENTS + SCORED_EVENTS + 30_000,
      'transform to land every produced flow in SILVER',
      240_000,
      2_000,
    );
    await allHandled();
    const batches = await fresh();
    expect(batches.length).toBeGreaterThan(handledAtKill);
    expect(batches.every(([, step]) => step.status === 'succeeded')).toBe(true);

    // Each batch's committed count is what the monitor decided once; the topic must hold exactly that.
    const steps = await monitorSteps();
    const expected = new Map<string, number>();
    for (const step of steps.values()) if (step.details.anomalies) expected.set(step.details.datasetId!, step.details.anomalies);
    const total = [...expected.values()].reduce((n, c) => n + c, 0);
    expect(batches.reduce((n, [, step]) => n + (step.details.anomalies ?? 0), 0)).toBeGreaterThan(0);
    const onTopic = await eventually(
      async () => {
        const read = await readTopic(fx.kafka, fx.topic(Topics.anomaliesDetected), { timeoutMs: 60_000, idleMs: 5_000 });
        return read.length >= total && read;
      },
      `${total} anomalies on the topic`,
      120_000,
      1_000,
    );
    const ids = onTopic.map((m) => (JSON.parse(m.value!.toString()) as Anomaly).id);
    expect(ids.length - new Set(ids).size).toBe(0);
    const perBatch = new Map<string, number>();
    for (const m of onTopic) {
      const datasetId = (JSON.parse(m.value!.toString()) as Anomaly).data.datasetId;
      perBatch.set(datasetId, (perBatch.get(datasetId) ?? 0) + 1);
    }
    expect(Object.fromEntries(perBatch)).toEqual(Object.fromEntries(expected));
  }, 600_000);
});

function inside(ts: string | number, episode: { from: number; to: number }): boolean {
  const ms = typeof ts === 'number' ? ts : Date.parse(ts);
  return ms >= episode.from && ms <= episode.to;
}
