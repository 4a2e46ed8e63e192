import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { stackEnv, StackRole } from '../../../../test/support/stack-env';
import { auditSettingsFromEnv } from '../audit-settings';
import { createAuditDataSource } from '../data-source';
import { ModelAliasChange, ModelVersion, RegistryAction } from '../entities';
import { EvaluationDecision, ModelRegistry, OperatorRequest } from './model-registry';
import { RegistryError } from './registry-error';

// The registry on the real PostgreSQL, each party through its own role, so the grants are part of
// what is tested: the trainer registers, the evaluator decides, an operator (flowsentry_cli) approves,
// rejects and rolls back. Every test uses a model name of its own.
function connect(role: StackRole): DataSource {
  return createAuditDataSource(auditSettingsFromEnv(stackEnv(role)), `flowsentry-it-registry-${role}`);
}

describe('ModelRegistry on PostgreSQL (trainer, evaluator and operator roles)', () => {
  const dbs = { trainer: connect('trainer'), evaluator: connect('evaluator'), cli: connect('cli'), owner: connect('owner') };
  const trainer = new ModelRegistry(dbs.trainer);
  const evaluator = new ModelRegistry(dbs.evaluator);
  const operator = new ModelRegistry(dbs.cli);
  const names: string[] = [];

  beforeAll(async () => {
    for (const db of Object.values(dbs)) await db.initialize();
  });

  afterAll(async () => {
    // The rows are test data: removed so no evaluator's announcer picks up a move made here.
    if (names.length > 0) {
      for (const table of ['registry_actions', 'model_alias_history', 'model_aliases', 'model_versions']) {
        await dbs.owner.query(`DELETE FROM ${table} WHERE model_name = ANY($1)`, [names]);
      }
    }
    for (const db of Object.values(dbs)) if (db.isInitialized) await db.destroy();
  });

  function newModel(): string {
    const name = `it-registry-${randomBytes(4).toString('hex')}`;
    names.push(name);
    return name;
  }

  /** What the trainer does: number the next version and register it, in one transaction. */
  async function register(modelName: string): Promise<string> {
    return dbs.trainer.transaction(async (em) => {
      const version = await trainer.nextVersion(em, modelName);
      await trainer.registerCandidate(em, {
        modelName,
        version,
        onnxRef: `models/${modelName}/${version}/model.onnx`,
        sha256: 'a'.repeat(64),
        metadataRef: `models/${modelName}/${version}/model.json`,
        featureVersion: 'fv-test',
        threshold: 0.61,
        params: { nEstimators: 100, seed: 42 },
        metrics: { train_alert_rate: 0.001 },
        trainingRefs: [`silver/${modelName}/dataset-${version}.parquet`],
        runId: `run-${modelName}-${version}`,
      });
      return version;
    });
  }

  /** What the evaluator does, inside its step transaction. */
  function evaluate(modelName: string, version: string, decision: EvaluationDecision) {
    return dbs.evaluator.transaction((em) =>
      evaluator.recordEvaluation(em, {
        modelName,
        version,
        evalRef: `eval/${modelName}/${version}/report.json`,
        metrics: { roc_auc: 0.93 },
        decision,
        reason: `evaluation says ${decision}`,
        actor: 'evaluator:auto',
      }),
    );
  }

  /** Registers `count` versions; each one up to `champions` is approved by the evaluator in turn. */
  async function modelWith(count: number, champions: number): Promise<string> {
    const modelName = newModel();
    for (let i = 1; i <= count; i++) {
      const version = await register(modelName);
      if (i <= champions) await evaluate(modelName, version, 'approved');
    }
    return modelName;
  }

  const by = (actor: string, reason: string): Omit<OperatorRequest, 'modelName'> => ({ actor, reason, channel: 'cli' });
  const status = async (modelName: string, version: string) => (await operator.get(modelName, version))?.status;
  const championOf = async (modelName: string) => (await operator.champion(modelName))?.version ?? null;
  const actionsOf = async (modelName: string) =>
    (await operator.actions(modelName)).map((a: RegistryAction) => [a.action, a.version, a.actor, a.reason, a.channel, a.outcome]);
  const movesOf = async (modelName: string) =>
    (await operator.history(modelName)).map((h: ModelAliasChange) => [h.change, h.fromVersion, h.toVersion, h.actor, h.reason]);

  it('numbers versions 1, 2, … per model name and registers each as a candidate', async () => {
    const modelName = newModel();
    expect([await register(modelName), await register(modelName), await register(modelName)]).toEqual(['1', '2', '3']);
    expect(await register(newModel())).toBe('1');
    const v2 = (await operator.get(modelName, '2'))!;
    expect(v2).toMatchObject({ status: 'candidate', threshold: 0.61, featureVersion: 'fv-test', metadataRef: `models/${modelName}/2/model.json`, trainingRefs: [`silver/${modelName}/dataset-2.parquet`] });
    expect(await championOf(modelName)).toBeNull();
  });

  it('an approved evaluation makes the candidate champion and writes the move to the outbox in the same transaction', async () => {
    const modelName = newModel();
    await register(modelName);
    const history = await dbs.evaluator.transaction(async (em) => {
      const move = await evaluator.recordEvaluation(em, {
        modelName,
        version: '1',
        evalRef: `eval/${modelName}/1/report.json`,
        metrics: { roc_auc: 0.95 },
        decision: 'approved',
        reason: 'first model passes the sanity gates',
        actor: 'evaluator:auto',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      });
      expect(move).toEqual({ modelName, from: null, to: '1', change: 'promotion' });
      // Read before commit: nobody else can have announced it yet.
      return em.find(ModelAliasChange, { where: { modelName } });
    });
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ fromVersion: null, toVersion: '1', change: 'promotion', actor: 'evaluator:auto', announcedAt: null, traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    const v1 = (await operator.get(modelName, '1'))!;
    expect(v1).toMatchObject({ status: 'champion', evalRef: `eval/${modelName}/1/report.json`, decidedBy: 'evaluator:auto', approvedBy: 'evaluator:auto', decisionReason: 'first model passes the sanity gates' });
    expect(v1.metrics).toEqual({ train_alert_rate: 0.001, roc_auc: 0.95 });
    expect(await championOf(modelName)).toBe('1');
  });

  it('a redelivered evaluation decides nothing twice', async () => {
    const modelName = await modelWith(1, 1);
    expect(await evaluate(modelName, '1', 'rejected')).toBeNull();
    expect(await status(modelName, '1')).toBe('champion');
    expect(await movesOf(modelName)).toHaveLength(1);
  });

  it('a pending version waits for a person; approve makes it champion and archives the previous champion', async () => {
    const modelName = await modelWith(2, 1);
    expect(await evaluate(modelName, '2', 'pending')).toBeNull();
    expect(await status(modelName, '2')).toBe('pending');
    expect(await championOf(modelName)).toBe('1');

    const move = await operator.approve({ modelName, version: '2', ...by('alice', 'reviewed the eval report') });
    expect(move).toEqual({ modelName, from: '1', to: '2', change: 'approval' });
    expect(await championOf(modelName)).toBe('2');
    expect(await status(modelName, '1')).toBe('archived');
    expect(await operator.get(modelName, '2')).toMatchObject({ status: 'champion', approvedBy: 'alice', decidedBy: 'alice', decisionReason: 'reviewed the eval report' });
    expect(await movesOf(modelName)).toEqual([
      ['promotion', null, '1', 'evaluator:auto', 'evaluation says approved'],
      ['approval', '1', '2', 'alice', 'reviewed the eval report'],
    ]);
    expect(await actionsOf(modelName)).toEqual([['approve', '2', 'alice', 'reviewed the eval report', 'cli', 'applied']]);
  });

  it('reject ends a pending version; the serving champion cannot be rejected (roll it back instead)', async () => {
    const modelName = await modelWith(2, 1);
    await evaluate(modelName, '2', 'pending');
    expect(await operator.reject({ modelName, version: '2', ...by('bob', 'alert rate far above budget') })).toMatchObject({ status: 'rejected', decidedBy: 'bob', decisionReason: 'alert rate far above budget' });
    await expect(operator.reject({ modelName, version: '1', ...by('bob', 'try the champion') })).rejects.toThrow(/v1 is champion; roll the champion back instead/);
    await expect(operator.approve({ modelName, version: '2', ...by('bob', 'changed my mind') })).rejects.toThrow(/v2 is rejected; only a pending or approved version can be approved/);
    expect(await championOf(modelName)).toBe('1');
    expect(await actionsOf(modelName)).toEqual([
      ['reject', '2', 'bob', 'alert rate far above budget', 'cli', 'applied'],
      ['reject', '1', 'bob', 'try the champion', 'cli', 'refused'],
      ['approve', '2', 'bob', 'changed my mind', 'cli', 'refused'],
    ]);
  });

  it('rollback by default returns to the newest approved version older than the champion, never forward to the one it left', async () => {
    const modelName = await modelWith(3, 3);
    expect(await operator.rollback({ modelName, ...by('carol', 'v3 floods the SOC') })).toEqual({ modelName, from: '3', to: '2', change: 'rollback' });
    expect(await operator.rollback({ modelName, ...by('carol', 'v2 misses the scan') })).toEqual({ modelName, from: '2', to: '1', change: 'rollback' });
    await expect(operator.rollback({ modelName, ...by('carol', 'one more') })).rejects.toThrow(/has no earlier approved version to roll back to/);
    expect(await championOf(modelName)).toBe('1');
    expect([await status(modelName, '2'), await status(modelName, '3')]).toEqual(['archived', 'archived']);
    expect((await movesOf(modelName)).slice(3)).toEqual([
      ['rollback', '3', '2', 'carol', 'v3 floods the SOC'],
      ['rollback', '2', '1', 'carol', 'v2 misses the scan'],
    ]);
    expect(await actionsOf(modelName)).toEqual([
      ['rollback', '2', 'carol', 'v3 floods the SOC', 'cli', 'applied'],
      ['rollback', '1', 'carol', 'v2 misses the scan', 'cli', 'applied'],
      ['rollback', null, 'carol', 'one more', 'cli', 'refused'],
    ]);
  });

  it('rollback --to re-points the champion to the named approved version', async () => {
    const modelName = await modelWith(3, 3);
    expect(await operator.rollback({ modelName, to: '1', ...by('dave', 'back to the first baseline') })).toEqual({ modelName, from: '3', to: '1', change: 'rollback' });
    expect(await championOf(modelName)).toBe('1');
    expect((await operator.list(modelName)).map((v) => [v.version, v.status])).toEqual([
      ['3', 'archived'],
      ['2', 'archived'],
      ['1', 'champion'],
    ]);
    await expect(operator.rollback({ modelName, to: '1', ...by('dave', 'again') })).rejects.toThrow(/v1 is already the champion/);
  });

  it('refuses a rollback to a version that was never approved, to an unknown version and without a champion, auditing each refusal', async () => {
    const modelName = await modelWith(3, 1);
    await evaluate(modelName, '2', 'rejected');
    await evaluate(modelName, '3', 'pending');
    await expect(operator.rollback({ modelName, to: '2', ...by('erin', 'try v2') })).rejects.toThrow(/v2 is rejected and was never approved/);
    await expect(operator.rollback({ modelName, to: '3', ...by('erin', 'try v3') })).rejects.toThrow(/v3 is pending and was never approved/);
    await expect(operator.rollback({ modelName, to: '9', ...by('erin', 'try v9') })).rejects.toMatchObject({ code: 'version-not-found' });
    const empty = await modelWith(1, 0);
    await expect(operator.rollback({ modelName: empty, ...by('erin', 'nothing serves') })).rejects.toBeInstanceOf(RegistryError);
    expect(await championOf(modelName)).toBe('1');
    expect((await actionsOf(modelName)).map(([action, version, , , , outcome]) => [action, version, outcome])).toEqual([
      ['rollback', '2', 'refused'],
      ['rollback', '3', 'refused'],
      ['rollback', '9', 'refused'],
    ]);
    expect(await actionsOf(empty)).toEqual([['rollback', null, 'erin', 'nothing serves', 'cli', 'refused']]);
  });

  it('refuses a change without a reason and audits the attempt with its detail', async () => {
    const modelName = await modelWith(2, 1);
    await evaluate(modelName, '2', 'pending');
    await expect(operator.approve({ modelName, version: '2', ...by('frank', '   ') })).rejects.toThrow(/a reason is required/);
    expect(await status(modelName, '2')).toBe('pending');
    const [refusal] = await operator.actions(modelName);
    expect(refusal).toMatchObject({ action: 'approve', version: '2', actor: 'frank', channel: 'cli', outcome: 'refused', detail: 'a reason is required' });
  });

  it('serialises two operators approving two versions at once: one champion, one unbroken history', async () => {
    const modelName = await modelWith(3, 1);
    await evaluate(modelName, '2', 'pending');
    await evaluate(modelName, '3', 'pending');
    const moves = await Promise.all([
      operator.approve({ modelName, version: '2', ...by('gina', 'v2 looks right') }),
      operator.approve({ modelName, version: '3', ...by('hugo', 'v3 looks right') }),
    ]);
    const [first, second] = moves.sort((a, b) => (a.from === '1' ? -1 : b.from === '1' ? 1 : 0));
    // Whichever went first found v1 serving; the second found the first's version, not v1 again.
    expect(first!.from).toBe('1');
    expect(second!.from).toBe(first!.to);
    const versions = await operator.list(modelName);
    expect(versions.filter((v: ModelVersion) => v.status === 'champion').map((v) => v.version)).toEqual([second!.to]);
    expect(await championOf(modelName)).toBe(second!.to);
    const history = await operator.history(modelName);
    for (let i = 1; i < history.length; i++) expect(history[i]!.fromVersion).toBe(history[i - 1]!.toVersion);
    expect((await actionsOf(modelName)).map(([, , , , , outcome]) => outcome)).toEqual(['applied', 'applied']);
  });
});
