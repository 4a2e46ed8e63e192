import { Artifact, LineageEdge, ModelAliasChange, ModelVersion, RegistryAction, StepRecord } from '@flowsentry/audit';
import { buildEvent, deterministicId, PipelineEventOf, Topics } from '@flowsentry/contracts';
import { readTopic } from '@flowsentry/messaging';
import { parseRef, sha256Hex } from '@flowsentry/storage';
import { eventually } from '../support/eventually';
import { PipelineFixture } from '../support/pipeline-fixture';
import { flowEvent } from '../support/network-events';
import { RunningService, startService } from '../support/service-process';
import { runCli, runTrafficProducer } from '../support/tools';

type EvalDone = PipelineEventOf<typeof Topics.evalDone>;
type ChampionChanged = PipelineEventOf<typeof Topics.championChanged>;
type ModelTrained = PipelineEventOf<typeof Topics.modelTrained>;

/**
 * The model lifecycle of issue #8 on the real stack, with ingest, transform, trainer and evaluator
 * as separate OS processes fed by the traffic producer: no step of the first model needs a person;
 * in manual mode every change of champion is a person's, through the CLI, and audited.
 */
describe('model lifecycle: producer traffic to a champion (ingest, transform, trainer, evaluator as processes)', () => {
  let fx: PipelineFixture;
  const running: RunningService[] = [];
  let model: string;

  beforeEach(async () => {
    fx = new PipelineFixture();
    await fx.setUp(3);
    model = `${fx.prefix}-flows`;
  });
  afterEach(async () => {
    for (const service of running.splice(0)) {
      service.kill('SIGKILL');
      await service.exited;
    }
    await fx.tearDown();
  });

  const startPipeline = async (evaluatorEnv: Record<string, string>, trainerEnv: Record<string, string> = {}) => {
    const env = (name: string, extra: Record<string, string>) => fx.serviceEnv(name, extra);
    running.push(await startService('ingest', env('ingest', { INGEST_BATCH_MAX_EVENTS: '2000', INGEST_BATCH_MAX_WAIT_MS: '300' })));
    running.push(await startService('transform', env('transform', {})));
    running.push(
      await startService(
        'trainer',
        env('trainer', { TRAINER_MODEL_NAME: model, TRAINER_MIN_ROWS: '20000', TRAINER_WINDOW_ROWS: '20000', TRAINER_RETRAIN_MIN_ROWS: '10000', TRAINER_TREES: '50', ...trainerEnv }),
      ),
    );
    running.push(await startService('evaluator', env('evaluator', { EVALUATOR_ANNOUNCE_INTERVAL_MS: '250', EVALUATOR_ANNOUNCE_MODEL_PREFIX: fx.prefix, REGISTRY_API_TOKEN: 'e2e-token-0123456789', ...evaluatorEnv })));
  };
  const produce = (count: number, seed: string, start: string) =>
    runTrafficProducer(fx.prefix, ['--count', String(count), '--rate', '2000', '--time-scale', '240', '--fast', '--seed', seed, '--start', start, '--attacks', 'all']);

  const version = (v: string) => fx.db.getRepository(ModelVersion).findOneOrFail({ where: { modelName: model, version: v } });
  const champion = async () => (await fx.db.query(`SELECT version FROM model_aliases WHERE model_name = $1 AND alias = 'champion'`, [model]))[0]?.version as string | undefined;
  const statusOf = async (v: string) => (await fx.db.getRepository(ModelVersion).findOne({ where: { modelName: model, version: v } }))?.status;
  const events = async <T>(topic: string, count: number): Promise<T[]> =>
    (await readTopic(fx.kafka, fx.topic(topic as never), { count, timeoutMs: 20_000 })).map((m) => JSON.parse(m.value!.toString()) as T).filter((e) => (e as { data: { modelName: string } }).data.modelName === model);

  it('trains, evaluates and promotes a first model with no manual step; registry, MODELS and EVAL objects and audit rows agree', async () => {
    await startPipeline({ EVALUATOR_POLICY: 'auto' });
    await produce(24_000, 'lifecycle-auto', '2026-11-02T08:00:00Z');

    await eventually(async () => (await champion()) === '1', 'version 1 to become the champion with no manual step', 240_000, 1000);
    const v1 = await version('1');
    expect(v1.status).toBe('champion');

    // MODELS: the objects the registry names exist and hash to what it recorded.
    const onnx = await fx.store.get(parseRef(v1.onnxRef));
    expect(sha256Hex(onnx)).toBe(v1.sha256);
    const metadata = JSON.parse((await fx.store.get(parseRef(v1.metadataRef!))).toString());
    expect(metadata.threshold).toBeCloseTo(v1.threshold!, 12);

    // EVAL: report.json and the self-contained report.html, named in the registry and the audit trail.
    const report = JSON.parse((await fx.store.get(parseRef(v1.evalRef!))).toString());
    expect(JSON.stringify(report)).toContain('approved');
    const html = (await fx.store.get(parseRef(v1.evalRef!.replace(/report\.json$/, 'report.html')))).toString();
    expect(html).toMatch(/<svg/);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=["']?https?:/);

    const artifacts = await fx.db.getRepository(Artifact).find({ where: [{ ref: v1.onnxRef }, { ref: v1.metadataRef! }, { ref: v1.evalRef! }] });
    expect(new Map(artifacts.map((a) => [a.ref, a.sha256])).get(v1.onnxRef)).toBe(v1.sha256);
    expect(artifacts).toHaveLength(3);

    // Lineage: the model comes from the SILVER objects it was trained on, the evaluation from the model.
    const [trained] = await events<ModelTrained>(Topics.modelTrained, 10);
    expect(trained!.data.version).toBe('1');
    const parents = await fx.db.getRepository(LineageEdge).find({ where: { childRef: v1.onnxRef } });
    expect(parents.map((e) => e.parentRef).sort()).toEqual(expect.arrayContaining(trained!.data.trainingDatasets.map((d) => d.key)));
    expect(await fx.db.getRepository(LineageEdge).count({ where: { parentRef: v1.onnxRef, childRef: v1.evalRef! } })).toBe(1);

    // Audit: one training and one evaluation step, both succeeded.
    const steps = await fx.db.getRepository(StepRecord).find({ where: [{ service: 'trainer', step: 'training', status: 'succeeded' }, { service: 'evaluator', step: 'evaluation', status: 'succeeded' }] });
    const mine = steps.filter((s) => JSON.stringify(s.details).includes(model) || s.inputRef.includes(model));
    expect(mine.map((s) => s.step).sort()).toEqual(['evaluation', 'training']);

    // Kafka: eval.done says approved and promoted; champion.changed announces the move, once, from the outbox.
    const [done] = await events<EvalDone>(Topics.evalDone, 10);
    expect(done!.data).toMatchObject({ version: '1', decision: 'approved', promoted: true, evalKey: v1.evalRef });
    const changes = await eventually(async () => {
      const seen = await events<ChampionChanged>(Topics.championChanged, 10);
      return seen.length > 0 && seen;
    }, 'champion.changed for version 1');
    expect(changes).toHaveLength(1);
    expect(changes[0]!.data).toMatchObject({ version: '1', previousVersion: null, change: 'promotion', onnxKey: v1.onnxRef, sha256: v1.sha256 });
    const history = await fx.db.getRepository(ModelAliasChange).find({ where: { modelName: model } });
    expect(history).toHaveLength(1);
    expect(history[0]!.announcedAt).not.toBeNull();
  }, 420_000);

  it.each([
    ['one-class-svm', { approximation: 'nystroem' }],
    ['local-outlier-factor', { nNeighbors: 20 }],
  ])('TRAINER_ALGORITHM=%s: trained, judged without the forest kernel check, promoted, and the monitor flags outliers with it', async (algorithm, params) => {
    await startPipeline({ EVALUATOR_POLICY: 'auto' }, { TRAINER_ALGORITHM: algorithm });
    running.push(await startService('monitor', fx.serviceEnv('monitor', { MONITOR_MODEL_NAME: model })));
    await produce(24_000, `lifecycle-${algorithm}`, '2026-11-02T08:00:00Z');

    await eventually(async () => (await champion()) === '1', `the ${algorithm} model to become the champion`, 240_000, 1000);
    const v1 = await version('1');
    const card = JSON.parse((await fx.store.get(parseRef(v1.metadataRef!))).toString());
    expect(card).toMatchObject({ algorithm, params: expect.objectContaining(params) });
    // The alert threshold follows TRAINER_ALERT_RATE for every algorithm: decision_function < 0 at that share of training rows.
    expect(card.threshold).toBeCloseTo(-card.offset, 12);
    const report = JSON.parse((await fx.store.get(parseRef(v1.evalRef!))).toString());
    expect(report.agreement.notApplicable).toMatch(/forest kernel/);

    // A day with attacks after the champion, then a few flows far outside anything trained on: how
    // the model ranks the producer's attacks is its own quality (bench/ml), but these it must flag.
    await produce(8_000, `lifecycle-${algorithm}-2`, '2026-11-03T08:00:00Z');
    const planted = Array.from({ length: 4 }, (_, i) =>
      flowEvent(900_000 + i, {
        event_id: `${fx.prefix}-planted-${i}`,
        ts: new Date(Date.parse('2026-11-03T09:00:00Z') + i * 1000).toISOString(),
        src_ip: `198.51.100.${10 + i}`,
        dst_port: 31_337,
        bytes_out: 40_000_000_000,
        bytes_in: 12,
        packets_out: 30_000_000,
        packets_in: 1,
        duration_ms: 9_000_000,
        label: 'planted-outlier',
      }),
    );
    await fx.producer.send(fx.topic(Topics.networkEvents), planted.map((e) => ({ key: e.src_ip, value: Buffer.from(JSON.stringify(e)) })));

    const flagged = await eventually(
      async () => {
        const seen = (await readTopic(fx.kafka, fx.topic(Topics.anomaliesDetected), { timeoutMs: 10_000, idleMs: 2_000 })).map((m) => JSON.parse(m.value!.toString()) as PipelineEventOf<typeof Topics.anomaliesDetected>);
        const mine = seen.filter((a) => a.data.modelName === model && a.data.modelVersion === '1');
        const found = new Set(mine.map((a) => a.data.event.event_id));
        return planted.every((e) => found.has(e.event_id)) && mine;
      },
      `anomalies.detected for every planted outlier from the ${algorithm} champion`,
      240_000,
      2_000,
    );
    for (const anomaly of flagged) {
      expect(anomaly.data.score).toBeGreaterThan(anomaly.data.threshold);
      expect(anomaly.data.reasons.length).toBeGreaterThan(0);
    }
    const labels = flagged.map((a) => a.data.event.label ?? 'unlabelled');
    console.info(`${algorithm} champion flagged ${flagged.length} flows: ${[...new Set(labels)].map((l) => `${l} ${labels.filter((x) => x === l).length}`).join(', ')}`);
  }, 600_000);

  it('manual mode: a trained model waits as pending; approve through the CLI promotes it, rollback re-points the champion, each audited with who and why', async () => {
    // The alert-rate gate is the evaluator's own spec; here a retrain near its limit must still reach a person.
    await startPipeline({ EVALUATOR_POLICY: 'manual', EVALUATOR_MAX_ALERT_RATE_FACTOR: '20' });
    await produce(24_000, 'lifecycle-manual', '2026-11-02T08:00:00Z');
    await eventually(async () => (await statusOf('1')) === 'pending', 'version 1 to wait for a person', 240_000, 1000);
    expect(await champion()).toBeUndefined();

    await runCli(fx.prefix, ['models', 'approve', model, '1', '--reason', 'first baseline reviewed', '--actor', 'alice']);
    expect(await champion()).toBe('1');

    // A drift signal for the champion, then new-regime traffic: the trainer retrains once, the new version waits too.
    const drifted = (await fx.db.query(`SELECT dataset_id FROM training_datasets WHERE dataset_id LIKE $1 ORDER BY max_event_time DESC LIMIT 1`, [`${fx.prefix}.%`]))[0].dataset_id as string;
    const drift = buildEvent(Topics.driftDetected, {
      id: deterministicId('e2e-drift', model),
      service: 'monitor',
      subject: model,
      data: { modelName: model, championVersion: '1', datasetId: drifted, reportKey: `monitor/${model}/drift.json`, severity: 'high', driftedFeatures: [], reason: 'e2e drift signal' },
    });
    await fx.producer.emit(Topics.driftDetected, model, drift, 'e2e-drift');
    await produce(12_000, 'lifecycle-manual-2', '2026-11-03T08:00:00Z');
    await eventually(async () => (await statusOf('2')) === 'pending', 'the retrained version 2 to wait for a person', 240_000, 1000);

    await runCli(fx.prefix, ['models', 'approve', model, '2', '--reason', 'retrained on the new regime', '--actor', 'bob']);
    expect(await champion()).toBe('2');
    expect(await statusOf('1')).toBe('archived');

    const out = await runCli(fx.prefix, ['models', 'rollback', model, '--reason', 'v2 floods the SOC', '--actor', 'carol']);
    expect(out).toContain('1');
    expect(await champion()).toBe('1');
    expect(await statusOf('2')).toBe('archived');

    const actions = await fx.db.getRepository(RegistryAction).find({ where: { modelName: model }, order: { id: 'ASC' } });
    expect(actions.map((a) => [a.action, a.actor, a.reason, a.channel, a.outcome])).toEqual([
      ['approve', 'alice', 'first baseline reviewed', 'cli', 'applied'],
      ['approve', 'bob', 'retrained on the new regime', 'cli', 'applied'],
      ['rollback', 'carol', 'v2 floods the SOC', 'cli', 'applied'],
    ]);
    const history = await fx.db.getRepository(ModelAliasChange).find({ where: { modelName: model }, order: { id: 'ASC' } });
    expect(history.map((h) => [h.change, h.fromVersion, h.toVersion, h.actor])).toEqual([
      ['approval', null, '1', 'alice'],
      ['approval', '1', '2', 'bob'],
      ['rollback', '2', '1', 'carol'],
    ]);
    // Every move reaches Kafka for the monitor, in order, whoever made it.
    const changes = await eventually(async () => {
      const seen = await events<ChampionChanged>(Topics.championChanged, 20);
      return seen.length >= 3 && seen;
    }, 'three champion.changed announcements');
    expect(changes.map((c) => [c.data.change, c.data.version])).toEqual([
      ['approval', '1'],
      ['approval', '2'],
      ['rollback', '1'],
    ]);
    expect(await fx.db.getRepository(ModelVersion).count({ where: { modelName: model } })).toBe(2);
  }, 480_000);
});
