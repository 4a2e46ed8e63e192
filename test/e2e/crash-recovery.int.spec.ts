import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { ALL_TOPICS, PipelineEventOf, Topics } from '@flowsentry/contracts';
import { readTopic } from '@flowsentry/messaging';
import { StackRole } from '../support/stack-env';
import { eventually } from '../support/eventually';
import { PipelineFixture } from '../support/pipeline-fixture';
import { RunningService, startService } from '../support/service-process';
import { metricValue, restartStackServer, runCli, runTrafficProducer } from '../support/tools';

type SilverReady = PipelineEventOf<typeof Topics.silverReady>;
type ModelTrained = PipelineEventOf<typeof Topics.modelTrained>;
type EvalDone = PipelineEventOf<typeof Topics.evalDone>;
type Anomaly = PipelineEventOf<typeof Topics.anomaliesDetected>;

const SERVICES = ['ingest', 'transform', 'trainer', 'evaluator', 'monitor'] as const;
const DAY2 = '2026-11-18T08:00:00Z';
type Service = (typeof SERVICES)[number];

/** A finished run: what it produced, and its fixture and service settings, to start its services again. */
interface Run {
  outcome: RunOutcome;
  fx: PipelineFixture;
  env: Record<Service, Record<string, string>>;
}

/** What a run produced, with the run's topic prefix taken out of every name, so two runs compare. */
interface RunOutcome {
  events: number;
  raw: string[];
  silver: string[];
  models: number;
  /** Each model as what makes it: version, threshold (a function of every tree), training and holdout datasets. */
  modelIdentity: string[];
  evaluations: string[];
  anomalies: number;
  /** Ids seen more than once, per kind of output. */
  duplicates: Record<string, number>;
  /** Messages on the run's dead-letter topics: a crash or an outage is never the events' fault. */
  deadLetters: string[];
  /** SILVER batches the monitor has no step record for, or more than one. */
  batchesNotJudgedOnce: number;
  /** Events each instance of transform and monitor handled (from its /metrics), in start order. */
  perInstance: Record<'transform' | 'monitor', number[]>;
  /** Per batch: anomalies on the topic against the count the monitor committed for it; the batches where they differ. */
  anomalyCountMismatches: string[];
  /** Per batch the monitor judged with a champion: that champion's version and its anomalies (count and a digest of event ids and scores). */
  judged: Record<string, { version: string; anomalies: string }>;
  /** Day 2's batches: produced after the monitor took up its champion, so both runs judge all of them. */
  day2: string[];
}

type Disruption = 'none' | 'kill-each-service' | 'restart-broker' | 'scale-out';

/**
 * Runs of the same traffic through all five services as OS processes: one left alone, one in which
 * every service is SIGKILLed in turn while it has work in hand and restarted, one with two
 * instances each of transform and monitor, one in which the Kafka broker is stopped and started
 * again mid-run. RAW objects and SILVER datasets are named from
 * Kafka offsets and ingest cuts batches by size (each day's tail by time, after the producer is
 * done), so every run must land the same ones. Every output must exist exactly once (by id), and
 * every SILVER batch must be judged once, with all the anomalies the monitor committed for it.
 *
 * What is not compared: the model. The trainer decides when to train as each silver.ready arrives,
 * and the three partitions' batches interleave differently from run to run (a restart changes it
 * further), so the first model can start from a different dataset, and its anomalies differ with it
 * (see docs/TRAINER.md, "Arrival order").
 */
describe('crash recovery: services killed, the broker restarted, during a run', () => {
  const runs: PipelineFixture[] = [];
  const running: RunningService[] = [];
  /** Every process any run started, for CRASH_IT_LOGS: a run's services are stopped before the next run starts. */
  const started: RunningService[] = [];

  afterAll(async () => {
    if (process.env.CRASH_IT_LOGS) for (const [i, service] of started.entries()) writeFileSync(`${process.env.CRASH_IT_LOGS}-${i}.log`, service.logs());
    for (const service of running.splice(0)) {
      service.kill('SIGKILL');
      await service.exited;
    }
    for (const fx of runs) await fx.tearDown();
  });

  /** What one instance counted: 0 once it is gone (a killed instance's count went with it) or before it handled anything. */
  const handledBy = async (service: RunningService, metric: string): Promise<number> => {
    const text = await service.metrics().catch(() => '');
    return text.includes(`${metric}{`) ? metricValue(text, metric) : 0;
  };

  async function stopAll(): Promise<void> {
    for (const service of running.splice(0)) {
      service.kill('SIGTERM');
      await service.exited;
    }
  }

  /** One process per service, each with its settings, in pipeline order. */
  async function startAll(env: Run['env']): Promise<Map<Service, RunningService>> {
    const services = new Map<Service, RunningService>();
    for (const name of SERVICES) {
      const service = await startService(name as StackRole, env[name]);
      services.set(name, service);
      running.push(service);
      started.push(service);
    }
    return services;
  }

  let calm: Promise<Run> | undefined;
  /** The undisturbed run, once for the file; its services are stopped when it returns. */
  const calmRun = () => (calm ??= run('none').then(async (done) => (await stopAll(), done)));

  async function run(disruption: Disruption): Promise<Run> {
    const crash = disruption === 'kill-each-service';
    const fx = new PipelineFixture();
    runs.push(fx);
    await fx.setUp(3);
    const model = `${fx.prefix}-flows`;
    const env: Record<Service, Record<string, string>> = {
      // A batch of 1,000 fills in well under the 15 s wait at this rate, even on a partition that gets a
      // tenth of the traffic: cuts fall by size, not by clock, except each day's tail, cut after the producer is done.
      ingest: fx.serviceEnv('ingest', { INGEST_BATCH_MAX_EVENTS: '1000', INGEST_BATCH_MAX_WAIT_MS: '15000' }),
      transform: fx.serviceEnv('transform'),
      trainer: fx.serviceEnv('trainer', { TRAINER_MODEL_NAME: model, TRAINER_MIN_ROWS: '15000', TRAINER_WINDOW_ROWS: '15000', TRAINER_RETRAIN_MIN_ROWS: '15000', TRAINER_TREES: '50', TRAINER_EXCLUDE_LABELLED: 'true' }),
      evaluator: fx.serviceEnv('evaluator', { EVALUATOR_ANNOUNCE_INTERVAL_MS: '250', EVALUATOR_ANNOUNCE_MODEL_PREFIX: fx.prefix }),
      monitor: fx.serviceEnv('monitor', { MONITOR_MODEL_NAME: model, MONITOR_DRIFT_CONSECUTIVE: '1000' }),
    };
    const services = await startAll(env);
    const instances: Record<'transform' | 'monitor', RunningService[]> = { transform: [services.get('transform')!], monitor: [services.get('monitor')!] };
    if (disruption === 'scale-out') {
      // A second instance of each per-batch stage in the same consumer group: the group splits the partitions between them.
      for (const name of ['transform', 'monitor'] as const) {
        const second = await startService(name, env[name]);
        instances[name].push(second);
        running.push(second);
        started.push(second);
      }
    }
    const killAndRestart = async (name: Service) => {
      const victim = services.get(name)!;
      victim.kill('SIGKILL');
      await victim.exited;
      const service = await startService(name as StackRole, env[name]);
      services.set(name, service);
      running.push(service);
      started.push(service);
    };
    const count = async (sql: string, params: unknown[]) => (await fx.db.query(sql, params))[0].n as number;
    const landedBatches = () => count(`SELECT count(*)::int AS n FROM ingestion_batches WHERE consumer_group = $1 AND status = 'landed'`, [fx.group('ingest')]);
    const landedEvents = () => count(`SELECT coalesce(sum(event_count), 0)::int AS n FROM ingestion_batches WHERE consumer_group = $1 AND status = 'landed'`, [fx.group('ingest')]);
    const handled = (service: Service) => count(`SELECT count(*)::int AS n FROM processed_events WHERE consumer_group = $1`, [fx.group(service)]);
    const cataloged = () => count(`SELECT coalesce(sum(rows), 0)::int AS n FROM training_datasets WHERE dataset_id LIKE $1`, [`${fx.prefix}.%`]);
    const produce = (events: number, start: string, extra: string[]) =>
      runTrafficProducer(fx.prefix, ['--count', String(events), '--rate', '2000', '--time-scale', '1200', '--fast', '--seed', 'crash-recovery', '--start', start, ...extra]);
    const when = (what: string, probe: () => Promise<boolean>) => eventually(async () => (await probe()) || undefined, what, 240_000, 100);

    // Day 1: normal traffic until a champion. Ingest, transform, the trainer and the evaluator die on the way.
    const day1 = produce(24_000, '2026-11-17T08:00:00Z', ['--attacks', 'none']);
    if (crash) {
      await when('ingest to land 3 batches', async () => (await landedBatches()) >= 3);
      await killAndRestart('ingest');
      await when('transform to handle 6 batches', async () => (await handled('transform')) >= 6);
      await killAndRestart('transform');
      await when('the trainer to catalog 12,000 rows', async () => (await cataloged()) >= 12_000);
      await killAndRestart('trainer');
    }
    await day1;
    if (disruption === 'restart-broker') {
      // Down while ingest, transform and the trainer still have day 1 in hand; every service must find its way back alone.
      await restartStackServer('kafka');
    }
    await when('a model trained', async () => (await count(`SELECT count(*)::int AS n FROM model_versions WHERE model_name = $1`, [model])) > 0);
    if (crash) await killAndRestart('evaluator');
    await when('the monitor to take up a champion', async () => (await count(`SELECT count(*)::int AS n FROM monitor_champions WHERE consumer_group = $1`, [fx.group('monitor')])) > 0);

    // Day 1's tail batches are cut (by time) before day 2 starts, or day 2's first events would join them.
    await when('day 1 in RAW', async () => (await landedEvents()) >= 24_000);

    // Day 2: attacks among normal traffic; the monitor dies while scoring.
    const scoredBefore = await handled('monitor');
    const day2 = produce(20_000, DAY2, ['--attacks', 'all', '--attack-share', '0.3']);
    if (crash) {
      await when('the monitor to score 4 batches of day 2', async () => (await handled('monitor')) >= scoredBefore + 4);
      await killAndRestart('monitor');
    }
    await day2;

    // Settled: every event landed, every RAW batch transformed, every SILVER batch seen by the trainer and the monitor.
    await when('44,000 events in RAW', async () => (await landedEvents()) >= 44_000);
    const read = async <T>(topic: Parameters<PipelineFixture['topic']>[0]) =>
      (await readTopic(fx.kafka, fx.topic(topic), { timeoutMs: 30_000, idleMs: 3_000 })).map((m) => JSON.parse(m.value!.toString()) as T);
    await when('every RAW batch transformed', async () => (await handled('transform')) >= (await landedBatches()));
    const silver = await eventually(
      async () => {
        const ready = await read<SilverReady>(Topics.silverReady);
        return ready.length >= (await landedBatches()) && (await handled('trainer')) >= ready.length && (await handled('monitor')) >= ready.length + 1 && ready;
      },
      'the trainer and the monitor to handle every SILVER batch',
      240_000,
      1_000,
    );

    const strip = (text: string) => text.split(fx.prefix).join('<run>');
    const ids = (values: string[]) => {
      const counts: Record<string, number> = {};
      for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
      return { sorted: [...new Set(values)].sort(), duplicates: Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 1)) };
    };
    const rawRows: Array<{ object_ref: string; event_count: number }> = await fx.db.query(
      `SELECT object_ref, event_count FROM ingestion_batches WHERE consumer_group = $1 AND status = 'landed'`,
      [fx.group('ingest')],
    );
    const models = await read<ModelTrained>(Topics.modelTrained);
    const evaluations = await read<EvalDone>(Topics.evalDone);
    const anomalies = await read<Anomaly>(Topics.anomaliesDetected);
    const judged: Array<{ input_ref: string; details: { datasetId?: string; anomalies?: number; championVersion?: string } }> = await fx.db.query(
      `SELECT input_ref, details FROM step_records WHERE service = 'monitor' AND step = 'drift_check' AND input_ref LIKE $1`,
      [`silver/%/${fx.prefix}.%`],
    );
    const judgedPerBatch = ids(judged.map((j) => j.input_ref));
    const onTopic: Record<string, number> = {};
    for (const a of anomalies) onTopic[a.data.datasetId] = (onTopic[a.data.datasetId] ?? 0) + 1;
    const committed = Object.fromEntries(judged.filter((j) => (j.details.anomalies ?? 0) > 0).map((j) => [j.details.datasetId!, j.details.anomalies!]));
    const deadLetters: string[] = [];
    for (const dlq of ALL_TOPICS.filter((t) => t.endsWith('.dlq'))) {
      for (const m of await readTopic(fx.kafka, fx.topic(dlq), { timeoutMs: 5_000, idleMs: 1_000 })) deadLetters.push(`${dlq}: ${strip(m.value?.toString() ?? '').slice(0, 300)}`);
    }
    const byId = {
      silver: ids(silver.map((e) => e.id)),
      models: ids(models.map((e) => e.id)),
      evaluations: ids(evaluations.map((e) => e.id)),
      anomalies: ids(anomalies.map((e) => e.id)),
    };
    const anomaliesOf = (datasetId: string) => {
      const own = anomalies.filter((a) => a.data.datasetId === datasetId).map((a) => `${a.data.event.event_id} ${a.data.score}`).sort();
      return `${own.length} ${createHash('sha256').update(own.join('\n')).digest('hex').slice(0, 16)}`;
    };
    const keys = (refs: Array<{ key: string }>) => refs.map((r) => strip(r.key)).join(',');
    const outcome: RunOutcome = {
      events: rawRows.reduce((n, r) => n + r.event_count, 0),
      raw: ids(rawRows.map((r) => strip(r.object_ref))).sorted,
      silver: ids(silver.map((e) => `${strip(e.data.silverKey)} ${e.data.rows}`)).sorted,
      models: models.length,
      modelIdentity: models.map((m) => `v${m.data.version} threshold ${m.data.threshold} trained on ${keys(m.data.trainingDatasets)} held out ${keys(m.data.holdoutDatasets)}`).sort(),
      deadLetters,
      evaluations: evaluations.map((e) => `v${e.data.version} promoted=${e.data.promoted}`),
      anomalies: anomalies.length,
      duplicates: Object.fromEntries(Object.entries(byId).map(([what, { duplicates }]) => [what, Object.keys(duplicates).length])),
      batchesNotJudgedOnce: silver.filter((e) => judged.filter((j) => j.input_ref === e.data.silverKey).length !== 1).length + Object.keys(judgedPerBatch.duplicates).length,
      anomalyCountMismatches: [...new Set([...Object.keys(onTopic), ...Object.keys(committed)])].filter((d) => onTopic[d] !== committed[d]).map(strip),
      judged: Object.fromEntries(
        judged.filter((j) => j.details.championVersion && j.details.datasetId).map((j) => [strip(j.details.datasetId!), { version: j.details.championVersion!, anomalies: anomaliesOf(j.details.datasetId!) }]),
      ),
      day2: silver.filter((e) => e.data.minEventTime && e.data.minEventTime >= DAY2).map((e) => strip(e.data.datasetId)).sort(),
      perInstance: {
        transform: await Promise.all(instances.transform.map((i) => handledBy(i, 'flowsentry_transform_events_in_total'))),
        monitor: await Promise.all(instances.monitor.map((i) => handledBy(i, 'flowsentry_monitor_batches_total'))),
      },
    };
    return { outcome, fx, env };
  }

  const expectSameAsCalm = (disturbed: RunOutcome, undisturbed: RunOutcome) => {
    expect(undisturbed.events).toBe(44_000);
    expect(undisturbed.models).toBe(1);
    expect(undisturbed.anomalies).toBeGreaterThan(1_000);
    for (const outcome of [undisturbed, disturbed]) {
      expect(outcome.duplicates).toEqual({ silver: 0, models: 0, evaluations: 0, anomalies: 0 });
      expect(outcome.batchesNotJudgedOnce).toBe(0);
      expect(outcome.deadLetters).toEqual([]);
      expect(outcome.anomalyCountMismatches).toEqual([]);
    }
    expect(disturbed.events).toBe(undisturbed.events);
    expect(disturbed.raw).toEqual(undisturbed.raw);
    expect(disturbed.silver).toEqual(undisturbed.silver);
    expect(disturbed.models).toBe(undisturbed.models);
    // The same model, not only as many: the trainer decides in event time, whatever order the datasets arrived in.
    expect(disturbed.modelIdentity).toEqual(undisturbed.modelIdentity);
    expect(disturbed.evaluations).toEqual(undisturbed.evaluations);
    // The same anomalies, batch by batch, wherever both runs judged a batch with the same champion: all
    // of day 2. Day 1's batches before the champion's promotion are skipped, in each run up to wherever the promotion fell.
    const both = Object.keys(undisturbed.judged).filter((d) => disturbed.judged[d]?.version === undisturbed.judged[d]!.version);
    expect(undisturbed.day2.length).toBeGreaterThan(10);
    expect(undisturbed.day2.filter((d) => !both.includes(d))).toEqual([]);
    expect(Object.fromEntries(both.map((d) => [d, disturbed.judged[d]!.anomalies]))).toEqual(Object.fromEntries(both.map((d) => [d, undisturbed.judged[d]!.anomalies])));
    console.info(`RAW ${disturbed.raw.length}, SILVER ${disturbed.silver.length}, models ${disturbed.models}, anomalies ${disturbed.anomalies} (undisturbed: ${undisturbed.anomalies})`);
  };

  it('SIGKILL of each service in turn, then a restart: the same RAW and SILVER as a run left alone, every output once, every batch judged once with all its anomalies', async () => {
    const undisturbed = (await calmRun()).outcome;
    const crashed = (await run('kill-each-service')).outcome;
    await stopAll();
    expectSameAsCalm(crashed, undisturbed);
  }, 1_500_000);

  it('two instances each of transform and monitor in their groups: the same RAW and SILVER as one instance each, every output once, every batch judged once', async () => {
    const undisturbed = (await calmRun()).outcome;
    const scaled = (await run('scale-out')).outcome;
    await stopAll();
    expectSameAsCalm(scaled, undisturbed);
    // Two instances of each ran in the group and split the work: raw.landed and silver.ready put source
    // stream p on partition p mod 3 (streamPartitioner), and the producer's sensors fill two streams.
    console.info(`per instance: transform ${scaled.perInstance.transform.join(' + ')}, monitor ${scaled.perInstance.monitor.join(' + ')}`);
    expect(scaled.perInstance.transform).toHaveLength(2);
    expect(scaled.perInstance.monitor).toHaveLength(2);
    for (const handled of [...scaled.perInstance.transform, ...scaled.perInstance.monitor]) expect(handled).toBeGreaterThan(0);
    expect(scaled.perInstance.transform.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(scaled.raw.length);
    expect(scaled.perInstance.monitor.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(scaled.silver.length);
  }, 1_500_000);

  it('a broker stopped and started mid-run: every service recovers by itself, with the same guarantees', async () => {
    const undisturbed = (await calmRun()).outcome;
    const restarted = (await run('restart-broker')).outcome;
    await stopAll();
    expectSameAsCalm(restarted, undisturbed);
  }, 1_500_000);

  it('replaying raw.landed for transform with `flowsentry replay` re-creates nothing: no new object, record or message anywhere downstream', async () => {
    const { fx, env } = await calmRun();
    const downstream = [Topics.silverReady, Topics.modelTrained, Topics.evalDone, Topics.anomaliesDetected, Topics.driftDetected] as const;
    const snapshot = async () => ({
      messages: Object.fromEntries(
        await Promise.all(
          downstream.map(async (topic) => [topic, (await readTopic(fx.kafka, fx.topic(topic), { timeoutMs: 30_000, idleMs: 3_000 })).map((m) => m.value!.toString()).sort()]),
        ),
      ) as Record<(typeof downstream)[number], string[]>,
      silverObjects: (await fx.store.list('silver', '')).filter((o) => o.key.includes(`${fx.prefix}.`)).map((o) => o.key).sort(),
      records: (
        await fx.db.query(
          `SELECT (SELECT count(*) FROM processed_events WHERE starts_with(consumer_group, $1))::int AS processed,
                  (SELECT count(*) FROM step_records WHERE input_ref LIKE $2)::int AS steps,
                  (SELECT count(*) FROM artifacts WHERE ref LIKE $2)::int AS artifacts,
                  (SELECT count(*) FROM lineage_edges WHERE child_ref LIKE $2)::int AS edges,
                  (SELECT count(*) FROM training_datasets WHERE starts_with(dataset_id, $3))::int AS datasets`,
          [fx.prefix, `%${fx.prefix}.%`, `${fx.prefix}.`],
        )
      )[0],
    });
    const before = await snapshot();
    const rawLanded = (await readTopic(fx.kafka, fx.topic(Topics.rawLanded), { timeoutMs: 30_000, idleMs: 3_000 })).length;
    expect(rawLanded).toBeGreaterThan(40);
    expect(before.messages[Topics.silverReady]).toHaveLength(rawLanded);
    expect(before.messages[Topics.anomaliesDetected].length).toBeGreaterThan(1_000);

    // The services are stopped (a group is rewound only while no member is in it); rewind transform's, start all five.
    const rewound = await runCli(fx.prefix, ['replay', '--topic', 'raw.landed', '--group', fx.group('transform'), '--earliest']);
    console.info(rewound.trim());
    const [replay] = await fx.db.query(`SELECT count(*)::int AS n FROM replays WHERE consumer_group = $1`, [fx.group('transform')]);
    expect(replay.n).toBe(1);
    const services = await startAll(env);

    // Transform reads every raw.landed again and finds each one handled and its outputs sent.
    const transform = services.get('transform')!;
    await eventually(
      async () => (await handledBy(transform, 'flowsentry_transform_redeliveries_total')) >= rawLanded || undefined,
      `transform to read all ${rawLanded} raw.landed again`,
      240_000,
      1_000,
    );
    expect(await handledBy(transform, 'flowsentry_transform_redeliveries_total')).toBe(rawLanded);
    expect(await handledBy(transform, 'flowsentry_transform_events_out_total')).toBe(0);
    const after = await snapshot();
    await stopAll();
    for (const topic of downstream) expect({ topic, messages: after.messages[topic] }).toEqual({ topic, messages: before.messages[topic] });
    expect(after.silverObjects).toEqual(before.silverObjects);
    expect(after.records).toEqual(before.records);
  }, 1_500_000);
});
