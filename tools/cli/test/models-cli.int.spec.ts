import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { auditSettingsFromEnv, createAuditDataSource, ModelAliasChange, ModelRegistry, RegistryAction } from '@flowsentry/audit';
import { stackEnv, StackRole } from '../../../test/support/stack-env';
import { runCli } from '../../../test/support/tools';

// The built CLI (npx tsc -b tools/cli/tsconfig.json) as an operator runs it, as flowsentry_cli on the
// real PostgreSQL; the trainer's and the evaluator's roles set the registry up as those services would.
const cliMain = join(__dirname, '..', 'dist', 'cli.js');

function connect(role: StackRole): DataSource {
  return createAuditDataSource(auditSettingsFromEnv(stackEnv(role)), `flowsentry-it-cli-${role}`);
}

/** The CLI with its stack env but a Kafka that does not exist: the models commands must not need one. */
function runCliWithoutKafka(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [cliMain, ...args], { env: { PATH: process.env.PATH ?? '', ...stackEnv('cli'), KAFKA_BROKERS: '127.0.0.1:1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    proc.stdout.on('data', (c) => (out += c));
    proc.stderr.on('data', (c) => (out += c));
    proc.on('exit', (code) => resolve({ code, out }));
  });
}

describe('flowsentry models (the built CLI against the registry)', () => {
  const trainerDb = connect('trainer');
  const evaluatorDb = connect('evaluator');
  const ownerDb = connect('owner');
  const modelName = `it-cli-${randomBytes(4).toString('hex')}`;
  const v1Trace = randomBytes(16).toString('hex');

  /** v1 champion (auto), v2 pending (manual policy), v3 rejected by the evaluator. */
  beforeAll(async () => {
    for (const db of [trainerDb, evaluatorDb, ownerDb]) await db.initialize();
    const trainer = new ModelRegistry(trainerDb);
    const evaluator = new ModelRegistry(evaluatorDb);
    // v1's training run was traced; the others' were not.
    await ownerDb.query(`INSERT INTO pipeline_runs (run_id, trigger, trace_id) VALUES ($1, 'silver.ready', $2)`, [`run-${modelName}-1`, v1Trace]);
    for (const decision of ['approved', 'pending', 'rejected'] as const) {
      const version = await trainerDb.transaction(async (em) => {
        const next = await trainer.nextVersion(em, modelName);
        await trainer.registerCandidate(em, {
          modelName,
          version: next,
          onnxRef: `models/${modelName}/${next}/model.onnx`,
          sha256: 'b'.repeat(64),
          metadataRef: `models/${modelName}/${next}/model.json`,
          featureVersion: 'fv-test',
          threshold: 0.6,
          params: { seed: 42 },
          metrics: {},
          trainingRefs: [],
          runId: `run-${modelName}-${next}`,
        });
        return next;
      });
      await evaluatorDb.transaction((em) =>
        evaluator.recordEvaluation(em, { modelName, version, evalRef: `eval/${modelName}/${version}/report.json`, metrics: { roc_auc: 0.9 }, decision, reason: `policy says ${decision}`, actor: 'evaluator:manual' }),
      );
    }
  });

  afterAll(async () => {
    for (const table of ['registry_actions', 'model_alias_history', 'model_aliases', 'model_versions']) {
      await ownerDb.query(`DELETE FROM ${table} WHERE model_name = $1`, [modelName]);
    }
    await ownerDb.query(`DELETE FROM pipeline_runs WHERE run_id = $1`, [`run-${modelName}-1`]);
    for (const db of [trainerDb, evaluatorDb, ownerDb]) if (db.isInitialized) await db.destroy();
  });

  const actions = () => ownerDb.getRepository(RegistryAction).find({ where: { modelName }, order: { id: 'ASC' } });
  const moves = () => ownerDb.getRepository(ModelAliasChange).find({ where: { modelName }, order: { id: 'ASC' } });
  const championOf = async () => (await new ModelRegistry(ownerDb).champion(modelName))?.version;

  it('lists and shows the registry without connecting to Kafka', async () => {
    const list = await runCliWithoutKafka(['models', 'list', '--model', modelName]);
    expect(list).toMatchObject({ code: 0 });
    expect(list.out).toMatch(new RegExp(`${modelName}\\s+v2\\s+pending\\s+0\\.6\\s+evaluator:manual`));
    const show = await runCliWithoutKafka(['models', 'show', modelName, '--json']);
    expect(show.code).toBe(0);
    const detail = JSON.parse(show.out);
    expect(detail).toMatchObject({ modelName, champion: '1' });
    expect(detail.versions.map((v: { version: string; status: string }) => [v.version, v.status])).toEqual([
      ['3', 'rejected'],
      ['2', 'pending'],
      ['1', 'champion'],
    ]);
    expect(detail.versions[2]).toMatchObject({ evalRef: `eval/${modelName}/1/report.json`, decidedBy: 'evaluator:manual', decisionReason: 'policy says approved' });
    expect(detail.traces).toEqual({ '1': v1Trace });
    const v1 = await runCliWithoutKafka(['models', 'show', modelName, '1']);
    expect(v1.out).toContain(`      trace        ${stackEnv('cli').JAEGER_QUERY_URL ?? 'http://127.0.0.1:16686'}/trace/${v1Trace}\n`);
    const one = await runCliWithoutKafka(['models', 'show', modelName, 'v2']);
    expect(one.code).toBe(0);
    expect(one.out).toContain(`${modelName}: champion v1\n\nversions (newest first):\n  v2  pending`);
    expect(one.out).toContain(`eval report  eval/${modelName}/2/report.json`);
    expect(one.out).toContain('      trace        -\n');
    expect(one.out).not.toContain('  v1  champion');
  });

  it('approve promotes a pending version and records who and why through the cli channel', async () => {
    const out = await runCli('', ['models', 'approve', modelName, '2', '--reason', 'reviewed the eval report', '--actor', 'alice']);
    expect(out.trim()).toBe(`${modelName}: champion v1 -> v2 (approval by alice: "reviewed the eval report")`);
    expect(await championOf()).toBe('2');
    expect((await moves()).map((m) => [m.change, m.fromVersion, m.toVersion, m.actor, m.reason])).toEqual([
      ['promotion', null, '1', 'evaluator:manual', 'policy says approved'],
      ['approval', '1', '2', 'alice', 'reviewed the eval report'],
    ]);
  });

  it('rollback re-points the champion to the earlier approved version', async () => {
    const out = await runCliWithoutKafka(['models', 'rollback', modelName, '--reason', 'v2 floods the SOC', '--actor', 'carol']);
    expect(out).toEqual({ code: 0, out: `${modelName}: champion v2 -> v1 (rollback by carol: "v2 floods the SOC")\n` });
    expect(await championOf()).toBe('1');
    expect((await moves()).at(-1)).toMatchObject({ change: 'rollback', fromVersion: '2', toVersion: '1', actor: 'carol', reason: 'v2 floods the SOC' });
  });

  it('exits 1 with the registry’s reason when the change is not allowed, and audits the refusal', async () => {
    await expect(runCli('', ['models', 'rollback', modelName, '--to', '3', '--reason', 'try the rejected one', '--actor', 'dave'])).rejects.toThrow(
      `cli exited 1: flowsentry: ${modelName} v3 is rejected and was never approved; a rollback returns only to an approved version`,
    );
    expect(await championOf()).toBe('1');
  });

  it('exits 2 without touching the registry when --reason is missing', async () => {
    await expect(runCli('', ['models', 'approve', modelName, '2', '--actor', 'eve'])).rejects.toThrow(/^cli exited 2: flowsentry: models approve: --reason is required/);
  });

  it('leaves one audit row per attempted change, with actor, reason, channel and outcome', async () => {
    expect((await actions()).map((a) => [a.action, a.version, a.actor, a.reason, a.channel, a.outcome])).toEqual([
      ['approve', '2', 'alice', 'reviewed the eval report', 'cli', 'applied'],
      ['rollback', '1', 'carol', 'v2 floods the SOC', 'cli', 'applied'],
      ['rollback', '3', 'dave', 'try the rejected one', 'cli', 'refused'],
    ]);
  });
});
