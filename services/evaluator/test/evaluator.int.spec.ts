import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelRegistry } from '@flowsentry/audit';
import { ArtifactRef, buildEvent, ChampionChangedData, decodePipelineEvent, deterministicId, EvalDoneData, Headers, LogicalTopic, ModelTrainedData, Topics } from '@flowsentry/contracts';
import { ConsumedMessage, readTopic } from '@flowsentry/messaging';
import { formatRef, modelRefs, parseRef, sha256Hex, silverRef, writeParquet } from '@flowsentry/storage';
import { eventually } from '../../../test/support/eventually';
import { PipelineFixture } from '../../../test/support/pipeline-fixture';
import { RunningService, startService } from '../../../test/support/service-process';
import { metricValue } from '../../../test/support/tools';
import { STRONG_FEATURES, syntheticFlows, trainModel, TrainedModel, WEAK_FEATURES } from './model-fixtures';

const TOKEN = 'integration-registry-token-0123456789';

describe('evaluator and model registry on the real stack (the evaluator as its own process)', () => {
  const fx = new PipelineFixture();
  const registry = new ModelRegistry(fx.db);
  const tokenDir = mkdtempSync(join(tmpdir(), 'evaluator-token-'));
  let evaluator: RunningService;
  let training: ArtifactRef;
  let holdout: ArtifactRef;
  let strong: (name: string, version: string) => TrainedModel;
  let weak: (name: string, version: string) => TrainedModel;

  beforeAll(async () => {
    await fx.setUp(3);
    const trainTable = syntheticFlows(4000, { seed: 11, attackEvery: 50 });
    training = await putSilver(`${fx.prefix}-train`, await writeParquet(trainTable));
    holdout = await putSilver(`${fx.prefix}-holdout`, await writeParquet(syntheticFlows(3000, { seed: 12, attackEvery: 40, attackLabel: 'exfiltration', firstTs: 1_764_500_000_000 })));
    strong = (name, version) => trainModel(trainTable, { modelName: name, version, recipes: STRONG_FEATURES, alertRate: 0.01 });
    weak = (name, version) => trainModel(trainTable, { modelName: name, version, recipes: WEAK_FEATURES, alertRate: 0.01 });
    const tokenFile = join(tokenDir, 'registry-token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    evaluator = await startService(
      'evaluator',
      fx.serviceEnv('evaluator', {
        EVALUATOR_POLICIES: `${fx.prefix}-manual=manual`,
        EVALUATOR_ANNOUNCE_MODEL_PREFIX: fx.prefix,
        EVALUATOR_ANNOUNCE_INTERVAL_MS: '200',
        REGISTRY_API_TOKEN_FILE: tokenFile,
      }),
    );
  });

  afterAll(async () => {
    evaluator?.kill('SIGTERM');
    await evaluator?.exited;
    await fx.tearDown();
    rmSync(tokenDir, { recursive: true, force: true });
  });

  async function putSilver(datasetId: string, bytes: Buffer): Promise<ArtifactRef> {
    const ref = silverRef(datasetId, '2026-11-30');
    await fx.store.put(ref, bytes, 'application/vnd.apache.parquet');
    return { key: formatRef(ref), sha256: sha256Hex(bytes) };
  }

  /** What the trainer does for a version: MODELS objects, a candidate row, then model.trained. */
  async function publish(name: string, model: TrainedModel | { bytes: Buffer; threshold: number; card: object }): Promise<{ version: string; eventId: string; runId: string; data: ModelTrainedData }> {
    const version = await fx.db.transaction((em) => registry.nextVersion(em, name));
    const refs = modelRefs(name, version);
    await fx.store.put(refs.onnx, model.bytes, 'application/octet-stream');
    await fx.store.put(refs.metadata, Buffer.from(JSON.stringify(model.card)), 'application/json');
    const runId = deterministicId('run', name, version, fx.prefix);
    await fx.db.transaction((em) =>
      registry.registerCandidate(em, {
        modelName: name,
        version,
        onnxRef: formatRef(refs.onnx),
        sha256: sha256Hex(model.bytes),
        metadataRef: formatRef(refs.metadata),
        featureVersion: 'f1.test',
        threshold: model.threshold,
        params: {},
        metrics: {},
        trainingRefs: [training.key],
        runId,
      }),
    );
    return send(name, version, { onnxKey: formatRef(refs.onnx), sha256: sha256Hex(model.bytes), threshold: model.threshold }, runId);
  }

  async function send(name: string, version: string, model: { onnxKey: string; sha256: string; threshold: number }, runId = deterministicId('run', name, version, fx.prefix)) {
    const data: ModelTrainedData = {
      modelName: name,
      version,
      onnxKey: model.onnxKey,
      sha256: model.sha256,
      metadataKey: formatRef(modelRefs(name, version).metadata),
      trainingDatasets: [training],
      holdoutDatasets: [holdout],
      featuresSchemaVersion: 'f1.test',
      threshold: model.threshold,
      params: { nEstimators: 50 },
      seed: 42,
      trainMetrics: {},
      trigger: 'silver.ready',
    };
    const eventId = deterministicId('model.trained', fx.prefix, name, version);
    await fx.producer.emit(Topics.modelTrained, name, buildEvent(Topics.modelTrained, { id: eventId, service: 'trainer', subject: `${name}/${version}`, data }), runId);
    return { version, eventId, runId, data };
  }

  /** Messages of a topic (read from its start) that match, once there are at least `count`. */
  async function messagesOn(topic: LogicalTopic, match: (m: ConsumedMessage) => boolean, count = 1): Promise<ConsumedMessage[]> {
    return eventually(
      async () => {
        const found = (await readTopic(fx.kafka, fx.topic(topic), { timeoutMs: 8_000, idleMs: 1_500 })).filter(match);
        return found.length >= count ? found : undefined;
      },
      `${count} matching message(s) on ${topic}`,
      120_000,
      500,
    );
  }

  const evalDone = async (name: string, version: string) => {
    const [message] = await messagesOn(Topics.evalDone, (m) => m.key?.toString() === name && JSON.parse(m.value!.toString()).data.version === version);
    const decoded = decodePipelineEvent(Topics.evalDone, message!.value!);
    if (!decoded.ok) throw new Error(decoded.error.message);
    return { message: message!, data: decoded.value.data as EvalDoneData };
  };
  const championChanges = async (name: string, count: number) =>
    (await messagesOn(Topics.championChanged, (m) => m.key?.toString() === name, count)).map((m) => ({ message: m, data: JSON.parse(m.value!.toString()).data as ChampionChangedData }));
  const api = (path: string, options: { method?: string; token?: string; body?: unknown } = {}) =>
    fetch(`http://127.0.0.1:${evaluator.port}${path}`, {
      method: options.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  const traceIdOf = (traceparent: string | null | undefined) => traceparent?.split('-')[1];

  it('promotes the first model of a name to champion with no manual step; EVAL objects, eval.done, champion.changed and the registry agree; a redelivery evaluates nothing twice', async () => {
    const name = `${fx.prefix}-flows`;
    const trained = await publish(name, strong(name, '1'));
    const { message, data } = await evalDone(name, '1');
    expect(data).toMatchObject({ modelName: name, version: '1', decision: 'approved', promoted: true, evalKey: `eval/${name}/1/report.json`, htmlKey: `eval/${name}/1/report.html` });
    expect(data.reason).toMatch(/first model/);
    expect(data.metrics.rocAuc).toBeGreaterThan(0.95);
    expect(message.headers[Headers.runId]?.toString()).toBe(trained.runId);

    // EVAL objects: the report says what eval.done says, the HTML shows it, the audit names both by hash.
    const reportBytes = await fx.store.get(parseRef(data.evalKey));
    const report = JSON.parse(reportBytes.toString());
    expect(report).toMatchObject({ decision: 'approved', policy: 'auto', metrics: data.metrics, champion: null, holdout: { rows: 3000, labelled: true, attackTypes: { exfiltration: 75 } } });
    expect(report.agreement.maxAbsDiff).toBeLessThanOrEqual(1e-5);
    const html = (await fx.store.get(parseRef(data.htmlKey!))).toString();
    expect(html).toContain('Decision: <strong>approved</strong>');
    expect(html).not.toMatch(/<script|https?:\/\//i);
    const artifacts = await fx.db.query(`SELECT ref, sha256, produced_by FROM artifacts WHERE ref IN ($1, $2) ORDER BY ref`, [data.evalKey, data.htmlKey]);
    expect(artifacts).toEqual([
      { ref: data.htmlKey, sha256: sha256Hex(Buffer.from(html)), produced_by: 'evaluator' },
      { ref: data.evalKey, sha256: sha256Hex(reportBytes), produced_by: 'evaluator' },
    ]);
    const lineage = await fx.db.query(`SELECT parent_ref, relation FROM lineage_edges WHERE child_ref = $1 ORDER BY relation`, [data.evalKey]);
    expect(lineage).toEqual([
      { parent_ref: trained.data.onnxKey, relation: 'evaluated' },
      { parent_ref: holdout.key, relation: 'evaluated-on' },
    ]);
    const [step] = await fx.db.query(`SELECT status, details, run_id FROM step_records WHERE service = 'evaluator' AND step = 'evaluation' AND input_ref = $1`, [trained.data.onnxKey]);
    expect(step).toMatchObject({ status: 'succeeded', run_id: trained.runId, details: { decision: 'approved', promoted: true } });

    // The registry: champion row, alias, and the move in the history with its announcement.
    const version = await registry.get(name, '1');
    expect(version).toMatchObject({ status: 'champion', evalRef: data.evalKey, decidedBy: 'evaluator:auto', approvedBy: 'evaluator:auto' });
    expect(version!.metrics.rocAuc).toBe(data.metrics.rocAuc);
    expect((await registry.champion(name))?.version).toBe('1');
    const [change] = await championChanges(name, 1);
    expect(change!.data).toMatchObject({ modelName: name, version: '1', previousVersion: null, change: 'promotion', actor: 'evaluator:auto', onnxKey: trained.data.onnxKey, sha256: trained.data.sha256, metadataKey: trained.data.metadataKey });
    const history = await eventually(async () => {
      const rows = await registry.history(name);
      return rows.length === 1 && rows[0]!.announcedAt ? rows : undefined;
    }, 'the promotion to be marked announced');
    expect(history[0]).toMatchObject({ fromVersion: null, toVersion: '1', change: 'promotion' });
    expect(JSON.parse(change!.message.value!.toString()).id).toBe(deterministicId('champion.changed', name, history[0]!.id));
    // The announcement continues the evaluation's trace.
    const [run] = await fx.db.query(`SELECT trace_id FROM pipeline_runs WHERE run_id = $1`, [trained.runId]);
    expect(traceIdOf(history[0]!.traceparent)).toBe(run.trace_id);
    expect(traceIdOf(change!.message.headers.traceparent?.toString())).toBe(run.trace_id);

    // Redelivery of the same model.trained: nothing is evaluated or announced again.
    const before = await fx.db.query(`SELECT (SELECT count(*) FROM step_records WHERE input_ref = $1)::int AS steps, (SELECT count(*) FROM model_alias_history WHERE model_name = $2)::int AS moves`, [trained.data.onnxKey, name]);
    await send(name, '1', trained.data, trained.runId);
    await eventually(async () => metricValue(await evaluator.metrics(), 'flowsentry_evaluator_redeliveries_total') >= 1, 'the redelivery to reach the guard');
    const after = await fx.db.query(`SELECT (SELECT count(*) FROM step_records WHERE input_ref = $1)::int AS steps, (SELECT count(*) FROM model_alias_history WHERE model_name = $2)::int AS moves`, [trained.data.onnxKey, name]);
    expect(after).toEqual(before);
    const done = await messagesOn(Topics.evalDone, (m) => m.key?.toString() === name);
    expect(done).toHaveLength(1);

    const metrics = await evaluator.metrics();
    expect(metricValue(metrics, 'flowsentry_evaluator_decisions_total')).toBeGreaterThanOrEqual(1);
    expect(metrics).toMatch(new RegExp(`flowsentry_evaluator_roc_auc\\{[^}]*model="${name}"`));
    expect(metricValue(metrics, 'flowsentry_evaluator_scored_rows_total')).toBeGreaterThan(3000);
  });

  it('does not promote a challenger that is worse than the champion on labelled held-out rows in auto', async () => {
    const name = `${fx.prefix}-regress`;
    await publish(name, strong(name, '1'));
    expect((await evalDone(name, '1')).data.promoted).toBe(true);
    const challenger = await publish(name, weak(name, '2'));
    const { data } = await evalDone(name, challenger.version);
    expect(data).toMatchObject({ decision: 'rejected', promoted: false, champion: { version: '1' } });
    expect(data.reason).toMatch(/worse than the champion on labelled held-out rows: ROC-AUC/);
    expect(data.metrics.rocAuc).toBeGreaterThan(0.5);
    expect(data.metrics.rocAuc).toBeLessThan(data.champion!.metrics.rocAuc! - 0.01);
    expect(await registry.get(name, '2')).toMatchObject({ status: 'rejected', decidedBy: 'evaluator:auto', decisionReason: data.reason });
    expect((await registry.champion(name))?.version).toBe('1');
    expect((await registry.history(name)).map((h) => h.toVersion)).toEqual(['1']);
    const report = JSON.parse((await fx.store.get(parseRef(data.evalKey))).toString());
    expect(report.comparison).toMatchObject({ primaryMetric: 'rocAuc', tolerance: 0.01 });
    expect(await fx.db.query(`SELECT parent_ref FROM lineage_edges WHERE child_ref = $1 AND relation = 'compared-with'`, [data.evalKey])).toEqual([{ parent_ref: formatRef(modelRefs(name, '1').onnx) }]);
  });

  it('keeps a model pending under the manual policy until a person approves it over HTTP with the token; the approval is audited and announced', async () => {
    const name = `${fx.prefix}-manual`;
    await publish(name, strong(name, '1'));
    const { data } = await evalDone(name, '1');
    expect(data).toMatchObject({ decision: 'pending', promoted: false });
    expect(await registry.get(name, '1')).toMatchObject({ status: 'pending', decidedBy: 'evaluator:manual' });
    expect(await registry.champion(name)).toBeNull();

    const shown = await api(`/models/${name}`, { token: TOKEN });
    expect(shown.status).toBe(200);
    expect(await shown.json()).toMatchObject({ name, champion: null, versions: [{ version: '1', status: 'pending' }], history: [] });

    const approved = await api(`/models/${name}/versions/1/approve`, { method: 'POST', token: TOKEN, body: { actor: 'alice', reason: 'reviewed the report: catches the exfiltration runs' } });
    expect(approved.status).toBe(200);
    expect(await approved.json()).toEqual({ modelName: name, from: null, to: '1', change: 'approval' });
    expect(await registry.get(name, '1')).toMatchObject({ status: 'champion', approvedBy: 'alice' });
    const [change] = await championChanges(name, 1);
    expect(change!.data).toMatchObject({ version: '1', previousVersion: null, change: 'approval', actor: 'alice', reason: 'reviewed the report: catches the exfiltration runs' });
    const [move] = await registry.history(name);
    expect(traceIdOf(change!.message.headers.traceparent?.toString())).toBe(traceIdOf(move!.traceparent));
    expect(await fx.db.query(`SELECT action, version, actor, channel, outcome FROM registry_actions WHERE model_name = $1`, [name])).toEqual([{ action: 'approve', version: '1', actor: 'alice', channel: 'http', outcome: 'applied' }]);

    // What the registry's state refuses is audited by the registry and answered 409 / 404.
    const again = await api(`/models/${name}/versions/1/reject`, { method: 'POST', token: TOKEN, body: { actor: 'bob', reason: 'second thoughts' } });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: 'invalid-transition', message: expect.stringMatching(/roll the champion back instead/) });
    expect((await api(`/models/${name}/versions/99/approve`, { method: 'POST', token: TOKEN, body: { actor: 'bob', reason: 'typo' } })).status).toBe(404);
    expect((await api(`/models/${name}/rollback`, { method: 'POST', token: TOKEN, body: { actor: 'bob', reason: 'nothing to go back to' } })).status).toBe(409);
    const refused = await fx.db.query(`SELECT action, actor, outcome FROM registry_actions WHERE model_name = $1 AND outcome = 'refused' ORDER BY id`, [name]);
    expect(refused).toEqual([
      { action: 'reject', actor: 'bob', outcome: 'refused' },
      { action: 'approve', actor: 'bob', outcome: 'refused' },
      { action: 'rollback', actor: 'bob', outcome: 'refused' },
    ]);
  });

  it('refuses HTTP calls without the token (401) or with a wrong one (403), and audits every refused mutation', async () => {
    const name = `${fx.prefix}-guarded`;
    expect((await api('/models')).status).toBe(401);
    expect((await api('/models', { token: 'not-the-registry-token-at-all' })).status).toBe(403);
    expect((await api('/models', { token: TOKEN })).status).toBe(200);

    const unauthenticated = await api(`/models/${name}/versions/2/approve`, { method: 'POST', body: { actor: 'mallory', reason: 'let me in' } });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('www-authenticate')).toBe('Bearer realm="flowsentry-registry"');
    expect((await api(`/models/${name}/rollback`, { method: 'POST', token: 'guessed-token-value-0000', body: { actor: 'mallory', reason: 'go back', to: '1' } })).status).toBe(403);
    const noBody = await api(`/models/${name}/versions/2/reject`, { method: 'POST', token: TOKEN });
    expect(noBody.status).toBe(400);
    expect(((await noBody.json()) as { message: string }).message).toMatch(/actor and reason are required/);

    const audited = await fx.db.query(`SELECT action, version, actor, reason, channel, outcome, detail FROM registry_actions WHERE model_name = $1 ORDER BY id`, [name]);
    expect(audited).toEqual([
      { action: 'approve', version: '2', actor: 'mallory', reason: 'let me in', channel: 'http', outcome: 'refused', detail: expect.stringMatching(/no bearer token/) },
      { action: 'rollback', version: '1', actor: 'mallory', reason: 'go back', channel: 'http', outcome: 'refused', detail: expect.stringMatching(/bearer token is not valid/) },
      { action: 'reject', version: '2', actor: 'unknown', reason: '', channel: 'http', outcome: 'refused', detail: expect.stringMatching(/actor and reason are required/) },
    ]);
    expect(JSON.stringify(audited)).not.toContain('guessed-token');
    expect(evaluator.logs()).not.toContain(TOKEN);
  });

  it('dead-letters a model.trained naming a missing or a corrupt ONNX object, with the reason', async () => {
    const name = `${fx.prefix}-broken`;
    const missing = await send(name, '1', { onnxKey: formatRef(modelRefs(name, '1').onnx), sha256: 'c'.repeat(64), threshold: 0.6 });
    const junk = Buffer.from('PK\u0003\u0004 this is a zip file, not an ONNX model');
    await fx.store.put(modelRefs(name, '2').onnx, junk, 'application/octet-stream');
    await fx.store.put(modelRefs(name, '2').metadata, Buffer.from('{"alertRate":0.01}'), 'application/json');
    const corrupt = await send(name, '2', { onnxKey: formatRef(modelRefs(name, '2').onnx), sha256: sha256Hex(junk), threshold: 0.6 });

    const letters = await messagesOn(Topics.modelTrainedDlq, (m) => m.key?.toString() === name, 2);
    const reasons = Object.fromEntries(letters.map((m) => [JSON.parse(m.value!.toString()).id, m.headers[Headers.dlqReason]?.toString()]));
    expect(reasons).toEqual({ [missing.eventId]: 'missing-object', [corrupt.eventId]: 'corrupt-model' });
    const failed = await fx.db.query(`SELECT input_ref, details->>'reason' AS reason FROM step_records WHERE service = 'evaluator' AND status = 'failed' AND input_ref LIKE $1 ORDER BY input_ref`, [`${name}/%`]);
    expect(failed).toEqual([
      { input_ref: `${name}/1`, reason: 'missing-object' },
      { input_ref: `${name}/2`, reason: 'corrupt-model' },
    ]);
    expect((await fx.store.list('eval', `${name}/`)).length).toBe(0);
  });
});
