import { writeFileSync } from 'node:fs';
import { Headers, PipelineEventOf, Topics } from '@flowsentry/contracts';
import { readTopic } from '@flowsentry/messaging';
import { eventually } from '../support/eventually';
import { getTrace, rootsOf, serviceOf } from '../support/jaeger';
import { PipelineFixture } from '../support/pipeline-fixture';
import { RunningService, startService } from '../support/service-process';
import { runCli, runConsoleProducer, runTrafficProducer } from '../support/tools';
import { WebhookReceiver } from '../../services/monitor/test/webhook-receiver';

type DriftDetected = PipelineEventOf<typeof Topics.driftDetected>;
type ModelTrained = PipelineEventOf<typeof Topics.modelTrained>;
type ChampionChanged = PipelineEventOf<typeof Topics.championChanged>;
type EvalDone = PipelineEventOf<typeof Topics.evalDone>;
/** What the monitor's step record says of a batch it judged (silver-ready.handler.ts). */
type Judged = { championVersion: string; rows: number; driftShare: number | null; scorePsi: number | null; drift: { verdict: string; streak: number } };

/**
 * One simulated organisation throughout (one seed, one time scale, weekday working hours): what
 * changes between phases is only what the test changes. Another seed is another network, a
 * Saturday is a third of the people, night is machines: each of those is drift in its own right
 * (docs/MONITOR.md, "Stationary traffic has to be really stationary").
 */
const SEED = 'drift-loop';
const TIME_SCALE = '1200';
const PHASES = {
  /** Tuesday: the first champion's training data. */
  training: { start: '2026-11-17T08:00:00Z', events: 24_000 },
  /** Wednesday, same hours: stationary, judged against v1. */
  stationary: { start: '2026-11-18T08:00:00Z', events: 24_000 },
  /** Thursday: the producer's drifted regime from the first flow (tools/producer src/regime.ts). */
  drifted: { start: '2026-11-19T08:00:00Z', events: 36_000 },
  /** Friday, still drifted: judged against the new champion. */
  settled: { start: '2026-11-20T08:00:00Z', events: 18_000 },
};

/**
 * The closed loop of issues #8 and #9, all five services as OS processes on producer traffic: a
 * champion watches stationary traffic and raises nothing; the drifted regime raises exactly one
 * drift.detected, which leads to exactly one retrain, one evaluation and a new champion; the
 * monitor moves to the new champion's baseline and the alarms stop. Alerts reach a webhook, and a
 * webhook that hangs holds nothing up.
 */
describe('drift loop: five services on producer traffic', () => {
  const fx = new PipelineFixture();
  const model = `${fx.prefix}-flows`;
  const running: RunningService[] = [];
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    await fx.setUp(3);
    receiver = await WebhookReceiver.start();
  });
  afterAll(async () => {
    // DRIFT_LOOP_LOGS=/tmp/drift-loop: each service's output, for a failure's post-mortem.
    if (process.env.DRIFT_LOOP_LOGS) for (const [i, service] of running.entries()) writeFileSync(`${process.env.DRIFT_LOOP_LOGS}-${i}.log`, service.logs());
    for (const service of running.splice(0)) {
      service.kill('SIGKILL');
      await service.exited;
    }
    await receiver.close();
    await fx.tearDown();
  });

  const produce = (phase: keyof typeof PHASES, extra: string[] = []) =>
    runTrafficProducer(fx.prefix, [
      ...['--count', String(PHASES[phase].events), '--rate', '2000', '--time-scale', TIME_SCALE, '--fast'],
      ...['--seed', SEED, '--start', PHASES[phase].start, '--attacks', 'none', ...extra],
    ]);
  const ofModel = async <T>(topic: Parameters<PipelineFixture['topic']>[0]): Promise<T[]> =>
    (await readTopic(fx.kafka, fx.topic(topic), { timeoutMs: 10_000, idleMs: 3_000 }))
      .map((m) => JSON.parse(m.value!.toString()) as T)
      .filter((e) => (e as { data: { modelName?: string } }).data.modelName === model);
  const monitorChampion = async (): Promise<string | undefined> =>
    (await fx.db.query(`SELECT version FROM monitor_champions WHERE consumer_group = $1 AND model_name = $2`, [fx.group('monitor'), model]))[0]?.version;
  /** The monitor's record of every batch it judged, by the batch's earliest event time. */
  const judged = async (): Promise<Array<Judged & { minEventTime: Date }>> => {
    const rows: Array<{ details: Judged; min_event_time: Date }> = await fx.db.query(
      `SELECT s.details, d.min_event_time FROM step_records s JOIN training_datasets d ON d.silver_ref = s.input_ref
        WHERE s.service = 'monitor' AND s.step = 'drift_check' AND s.status = 'succeeded' AND s.input_ref LIKE $1 AND s.details ? 'drift'`,
      [`silver/%/${fx.prefix}.%`],
    );
    return rows.map((r) => ({ ...r.details, minEventTime: r.min_event_time }));
  };
  const inPhase = (batches: Array<Judged & { minEventTime: Date }>, phase: keyof typeof PHASES) => {
    const from = Date.parse(PHASES[phase].start);
    return batches.filter((b) => b.minEventTime.getTime() >= from && b.minEventTime.getTime() < from + 86_400_000);
  };
  /** Every SILVER batch so far judged by the monitor (after ingest and transform caught up with `events`). */
  const monitorCaughtUp = async (events: number) => {
    await eventually(
      async () => {
        const [landed] = await fx.db.query(`SELECT coalesce(sum(event_count), 0)::int AS n FROM ingestion_batches WHERE consumer_group = $1 AND status = 'landed'`, [fx.group('ingest')]);
        return landed.n >= events;
      },
      `${events} events landed`,
      240_000,
      1_000,
    );
    await eventually(
      async () => {
        const silver = await readTopic(fx.kafka, fx.topic(Topics.silverReady), { timeoutMs: 10_000, idleMs: 2_000 });
        const [handled] = await fx.db.query(`SELECT count(*)::int AS n FROM step_records WHERE service = 'monitor' AND step = 'drift_check' AND input_ref LIKE $1`, [`silver/%/${fx.prefix}.%`]);
        return handled.n >= silver.length;
      },
      'the monitor to handle every silver.ready',
      300_000,
      2_000,
    );
  };

  it(
    'stationary traffic raises no drift; the drifted regime raises exactly one, which retrains, re-evaluates and replaces the champion once, and the alarms stop',
    async () => {
      const env = (name: string, extra: Record<string, string>) => fx.serviceEnv(name, extra);
      running.push(await startService('ingest', env('ingest', { INGEST_BATCH_MAX_EVENTS: '1000', INGEST_BATCH_MAX_WAIT_MS: '300' })));
      running.push(await startService('transform', env('transform', {})));
      running.push(
        await startService(
          'trainer',
          env('trainer', { TRAINER_MODEL_NAME: model, TRAINER_MIN_ROWS: '20000', TRAINER_WINDOW_ROWS: '20000', TRAINER_RETRAIN_MIN_ROWS: '15000', TRAINER_TREES: '100' }),
        ),
      );
      running.push(await startService('evaluator', env('evaluator', { EVALUATOR_POLICY: 'auto', EVALUATOR_ANNOUNCE_INTERVAL_MS: '250', EVALUATOR_ANNOUNCE_MODEL_PREFIX: fx.prefix })));
      running.push(
        await startService(
          'monitor',
          env('monitor', {
            MONITOR_MODEL_NAME: model,
            MONITOR_WEBHOOK_URL: `${receiver.origin}/hooks/drift-loop-token`,
            MONITOR_WEBHOOK_TIMEOUT_MS: '1000',
            MONITOR_WEBHOOK_RETRY_INITIAL_MS: '500',
            MONITOR_WEBHOOK_RETRY_MAX_MS: '5000',
          }),
        ),
      );

      // 1. A first champion from Tuesday's traffic.
      await produce('training');
      await eventually(async () => (await monitorChampion()) === '1', 'the monitor to follow champion v1', 300_000, 1_000);

      // 2. Wednesday under v1: many judged batches, no drift.detected.
      await produce('stationary');
      await monitorCaughtUp(PHASES.training.events + PHASES.stationary.events);
      const stationary = inPhase(await judged(), 'stationary');
      const drifting = stationary.filter((b) => b.drift.verdict === 'drifting');
      console.info(
        `stationary: ${stationary.length} batches judged, ${drifting.length} drifted on their own, longest streak ${Math.max(0, ...stationary.map((b) => b.drift.streak))}; ` +
          `drift shares ${stationary.map((b) => b.driftShare?.toFixed(2)).join(' ')}; score PSI ${stationary.map((b) => b.scorePsi?.toFixed(3)).join(' ')}`,
      );
      // False-alarm bound: no drift.detected over this many judged batches puts the per-batch chance
      // of a false raise below 3/n at 95 % confidence (the rule of three).
      expect(stationary.length).toBeGreaterThanOrEqual(20);
      expect(stationary.every((b) => b.championVersion === '1')).toBe(true);
      expect(await ofModel<DriftDetected>(Topics.driftDetected)).toHaveLength(0);

      // 3. Thursday's drifted regime, with the webhook hanging on every request: one drift.detected,
      //    one retrain on the new regime, one evaluation, a new champion, none of it held up.
      receiver.answer = () => 'hang';
      await produce('drifted', ['--drift-at', '0']);
      await eventually(async () => (await monitorChampion()) === '2', 'the monitor to follow the retrained champion v2', 480_000, 1_000);
      const whileHanging = { answered: receiver.received.filter((r) => r.body.kind === 'drift').length, attempts: receiver.requests };
      receiver.answer = () => 200;

      // 4. Friday, still drifted, judged against v2's baseline.
      await produce('settled', ['--drift-at', '0']);
      await monitorCaughtUp(PHASES.training.events + PHASES.stationary.events + PHASES.drifted.events + PHASES.settled.events);

      const drifts = await ofModel<DriftDetected>(Topics.driftDetected);
      expect(drifts).toHaveLength(1);
      expect(drifts[0]!.data.championVersion).toBe('1');
      expect(drifts[0]!.data.driftedFeatures.length).toBeGreaterThan(0);
      const trained = await ofModel<ModelTrained>(Topics.modelTrained);
      expect(trained.map((m) => [m.data.version, m.data.trigger])).toEqual([
        ['1', 'silver.ready'],
        ['2', 'drift.detected'],
      ]);
      // v2 learnt the new regime and nothing from before it.
      const v2 = trained[1]!.data;
      const regimeStart = Date.parse(PHASES.drifted.start);
      const v2Datasets = await fx.db.query(`SELECT count(*)::int AS n, min(min_event_time) AS first FROM training_datasets WHERE silver_ref = ANY($1)`, [
        [...v2.trainingDatasets, ...v2.holdoutDatasets].map((d) => d.key),
      ]);
      expect(v2Datasets[0].n).toBe(v2.trainingDatasets.length + v2.holdoutDatasets.length);
      expect(new Date(v2Datasets[0].first).getTime()).toBeGreaterThanOrEqual(regimeStart);
      const evals = await ofModel<EvalDone>(Topics.evalDone);
      expect(evals.map((e) => [e.data.version, e.data.promoted])).toEqual([
        ['1', true],
        ['2', true],
      ]);
      const changes = await ofModel<ChampionChanged>(Topics.championChanged);
      expect(changes.map((c) => [c.data.previousVersion, c.data.version, c.data.change])).toEqual([
        [null, '1', 'promotion'],
        ['1', '2', 'promotion'],
      ]);

      // The alarms stopped: every batch since the switch is judged against v2 and none raised.
      const settled = inPhase(await judged(), 'settled');
      console.info(`settled: ${settled.length} batches judged against v2, drift shares ${settled.map((b) => b.driftShare?.toFixed(2)).join(' ')}`);
      expect(settled.length).toBeGreaterThanOrEqual(10);
      expect(settled.every((b) => b.championVersion === '2')).toBe(true);
      expect(Math.max(...settled.map((b) => b.drift.streak))).toBeLessThan(3);

      // 5. Alerts. The monitor tried to deliver the drift alert while the receiver hung (and the
      //    retrain and promotion went on meanwhile); it was delivered once the receiver answered, once.
      expect(whileHanging).toEqual({ answered: 0, attempts: expect.any(Number) });
      expect(whileHanging.attempts).toBeGreaterThan(0);
      const driftAlert = await eventually(async () => receiver.received.find((r) => r.body.kind === 'drift'), 'the drift alert at the webhook', 120_000);
      expect(driftAlert.path).toBe('/hooks/drift-loop-token');
      expect(driftAlert.body.text).toContain(model);
      expect(receiver.received.filter((r) => r.body.kind === 'drift')).toHaveLength(1);
      // A failed step anywhere (here transform dead-letters an unreadable raw.landed) reaches it too.
      await runConsoleProducer(fx.topic(Topics.rawLanded), ['{"not": "a cloudevent"']);
      const failure = await eventually(async () => receiver.received.find((r) => r.body.kind === 'step-failure'), 'a step-failure alert at the webhook', 90_000);
      expect(JSON.stringify(failure.body)).toContain('raw.landed');

      // 6. One trace per run: the run whose SILVER batch started v1 is one connected trace through all
      //    five services, from the producer's send to the monitor taking up the champion it led to.
      const v1Message = (await readTopic(fx.kafka, fx.topic(Topics.modelTrained), { timeoutMs: 10_000, idleMs: 2_000 })).find(
        (m) => (JSON.parse(m.value!.toString()) as ModelTrained).data.version === '1',
      )!;
      const traceId = v1Message.headers[Headers.traceparent]!.toString().split('-')[1]!;
      const services = ['flowsentry-ingest', 'flowsentry-transform', 'flowsentry-trainer', 'flowsentry-evaluator', 'flowsentry-monitor'];
      const trace = await eventually(
        async () => {
          const t = await getTrace(traceId);
          return t && services.every((name) => t.spans.some((span) => serviceOf(t, span) === name)) && t;
        },
        `trace ${traceId} with spans of all five services in Jaeger`,
        90_000,
        2_000,
      );
      // Connected: one root, the producer's send of the batch's first event; every other span's parent is in the trace.
      const roots = rootsOf(trace);
      expect(roots.map((span) => `${serviceOf(trace, span)} ${span.operationName}`)).toEqual([`flowsentry-producer ${fx.prefix}.network.events send`]);
      // Fan-in is linked, not parented: ingest's batch span links the producer sends of its other
      // events; the span that trained v1 links the run of every other dataset it learnt from.
      const followsFrom = (span: (typeof trace.spans)[number]) => span.references.filter((r) => r.refType === 'FOLLOWS_FROM');
      const landing = trace.spans.filter((span) => serviceOf(trace, span) === 'flowsentry-ingest' && span.operationName === 'ingest.land_batch');
      // (Batches of other partitions whose first event came in the same producer send share the trace.)
      // A batch links each producer send its events came in, once, except its parent's. A full batch
      // (1,000 events of one partition, the producer sending 500 over three) spans several sends; a
      // small tail batch cut by time may sit in one send and link nothing.
      expect(landing.length).toBeGreaterThan(0);
      for (const batch of landing) {
        const parent = batch.references.find((r) => r.refType === 'CHILD_OF')!.spanID;
        const linked = followsFrom(batch).map((r) => r.spanID);
        expect(new Set(linked).size).toBe(linked.length);
        expect(linked).not.toContain(parent);
      }
      expect(landing.some((batch) => followsFrom(batch).length > 0)).toBe(true);
      const v1Data = (JSON.parse(v1Message.value!.toString()) as ModelTrained).data;
      const training = trace.spans.find((span) => serviceOf(trace, span) === 'flowsentry-trainer' && span.tags.some((t) => t.key === 'flowsentry.model_version' && t.value === '1'))!;
      const datasetLinks = followsFrom(training);
      // Every dataset of the window but the one in hand, whose run is the span's parent. The watermark
      // may start the training at a dataset past the window, which is then not in it: all are linked.
      const windowSize = v1Data.trainingDatasets.length + v1Data.holdoutDatasets.length;
      expect([Math.min(128, windowSize - 1), Math.min(128, windowSize)]).toContain(datasetLinks.length);
      expect(datasetLinks.every((r) => r.spanID !== training.spanID)).toBe(true);
      console.info(`trace ${traceId}: ${trace.spans.length} spans, ${[...new Set(trace.spans.map((span) => `${serviceOf(trace, span)} ${span.operationName}`))].join('; ')}`);

      // 7. Lineage: from the champion back to the Kafka offsets, through the audit trail alone.
      const lineage = JSON.parse(await runCli(fx.prefix, ['lineage', model, '--json'])) as {
        ref: string;
        upstream: Array<{ parentRef: string; childRef: string; relation: string }>;
        downstream: Array<{ relation: string; refs: string[] }>;
      };
      expect(lineage.ref).toBe(v2.onnxKey);
      const parentsOf = (ref: string, relation: string) => lineage.upstream.filter((e) => e.childRef === ref && e.relation === relation).map((e) => e.parentRef);
      expect(parentsOf(v2.onnxKey, 'trained-on').sort()).toEqual(v2.trainingDatasets.map((d) => d.key).sort());
      for (const silver of v2.trainingDatasets) {
        const [rawRef] = parentsOf(silver.key, 'transformed');
        expect(rawRef).toMatch(/^raw\//);
        expect(parentsOf(rawRef!, 'ingested')).toEqual([expect.stringMatching(new RegExp(`^kafka://${fx.prefix}\\.network\\.events/\\d+/\\d+-\\d+$`))]);
      }
      expect(lineage.downstream.find((d) => d.relation === 'evaluated')?.refs).toEqual([expect.stringMatching(new RegExp(`^eval/${model}/2/`))]);
    },
    1_500_000,
  );
});
