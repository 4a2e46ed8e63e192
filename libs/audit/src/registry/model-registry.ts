import { DataSource, EntityManager, In, IsNull } from 'typeorm';
import { ModelAlias, ModelAliasChange, ModelVersion, RegistryAction, RegistryActionName, RegistryChannel } from '../entities';
import { RegistryError } from './registry-error';

export const CHAMPION = 'champion';

/** What the trainer registers: a version starts as `candidate`. */
export type CandidateVersion = Pick<
  ModelVersion,
  'modelName' | 'version' | 'onnxRef' | 'sha256' | 'metadataRef' | 'featureVersion' | 'threshold' | 'params' | 'metrics' | 'trainingRefs' | 'runId'
>;

export type EvaluationDecision = 'approved' | 'pending' | 'rejected';

export interface EvaluationOutcome {
  modelName: string;
  version: string;
  evalRef: string;
  metrics: Record<string, number>;
  decision: EvaluationDecision;
  reason: string;
  /** Who decided: the evaluator's policy, named. */
  actor: string;
  traceparent?: string;
}

/** A person's request: who, why, and through which door. */
export interface OperatorRequest {
  modelName: string;
  actor: string;
  reason: string;
  channel: RegistryChannel;
  traceparent?: string;
}

/** A request for a new version that is not a first model (drift, schedule), and how it ended. */
export interface RetrainRequest {
  trigger: string;
  /** The event that asked (a drift.detected's id). */
  eventId: string;
  /** Event time from which the new regime's rows count. */
  regimeSince: Date | null;
  status: 'open' | 'absorbed' | 'done';
  /** The version trained for it, once done. */
  resolvedBy: string | null;
  /** What the asking event said: severity, reason, the champion it was about. */
  detail: Record<string, unknown>;
  createdAt: Date;
}

export interface AliasMove {
  modelName: string;
  from: string | null;
  to: string;
  change: ModelAliasChange['change'];
}

/**
 * The model registry (brief §7): versions and their status, the `champion` alias per model name and
 * its full history. Every move of the alias writes a history row in the same transaction, and that
 * row is the outbox the evaluator announces on `champion.changed`, so no move is lost between the
 * database and Kafka, whoever made it. Operations on one model name are serialised by a transaction-
 * scoped advisory lock, so the trainer numbering versions, the evaluator promoting and an operator
 * rolling back never interleave.
 */
export class ModelRegistry {
  constructor(private readonly db: DataSource) {}

  /** The next version number of a model name (1, 2, …); call inside the transaction that registers it. */
  async nextVersion(em: EntityManager, modelName: string): Promise<string> {
    await lockModel(em, modelName);
    const [row] = await em.query(`SELECT coalesce(max(version::bigint), 0) + 1 AS next FROM model_versions WHERE model_name = $1`, [modelName]);
    return String(row.next);
  }

  async registerCandidate(em: EntityManager, candidate: CandidateVersion): Promise<void> {
    await lockModel(em, candidate.modelName);
    await em.insert(ModelVersion, { ...candidate, status: 'candidate' });
  }

  async get(modelName: string, version: string, em: EntityManager = this.db.manager): Promise<ModelVersion | null> {
    return em.findOne(ModelVersion, { where: { modelName, version } });
  }

  async champion(modelName: string, em: EntityManager = this.db.manager): Promise<ModelVersion | null> {
    const alias = await em.findOne(ModelAlias, { where: { modelName, alias: CHAMPION } });
    return alias ? this.get(modelName, alias.version, em) : null;
  }

  /** Versions newest first, of one model name or of all. */
  async list(modelName?: string): Promise<ModelVersion[]> {
    const versions = await this.db.manager.find(ModelVersion, { where: modelName ? { modelName } : {} });
    return versions.sort((a, b) => a.modelName.localeCompare(b.modelName) || Number(b.version) - Number(a.version));
  }

  async history(modelName: string): Promise<ModelAliasChange[]> {
    return this.db.manager.find(ModelAliasChange, { where: { modelName }, order: { id: 'ASC' } });
  }

  async actions(modelName: string): Promise<RegistryAction[]> {
    return this.db.manager.find(RegistryAction, { where: { modelName }, order: { id: 'ASC' } });
  }

  /** Per version, the trace id of the run that trained it (pipeline_runs), to follow it in Jaeger; versions without one are left out. */
  async traces(modelName: string): Promise<Record<string, string>> {
    const rows: Array<{ version: string; trace_id: string }> = await this.db.query(
      `SELECT v.version, r.trace_id FROM model_versions v JOIN pipeline_runs r ON r.run_id = v.run_id WHERE v.model_name = $1 AND r.trace_id IS NOT NULL`,
      [modelName],
    );
    return Object.fromEntries(rows.map((r) => [r.version, r.trace_id]));
  }

  /** Retrain requests of a model name, oldest first (the trainer writes them; see training_requests). */
  async retrainRequests(modelName: string): Promise<RetrainRequest[]> {
    const rows: Array<{ trigger: string; event_id: string; regime_since: Date | null; status: RetrainRequest['status']; resolved_by: string | null; detail: Record<string, unknown>; created_at: Date }> =
      await this.db.query(`SELECT trigger, event_id, regime_since, status, resolved_by, detail, created_at FROM training_requests WHERE model_name = $1 ORDER BY id`, [modelName]);
    return rows.map((r) => ({ trigger: r.trigger, eventId: r.event_id, regimeSince: r.regime_since, status: r.status, resolvedBy: r.resolved_by, detail: r.detail, createdAt: r.created_at }));
  }

  /**
   * The evaluator's verdict on a candidate, inside the evaluation's own transaction: `approved`
   * makes it the champion at once (auto policy), `pending` waits for a person, `rejected` ends it.
   * A version already decided is left as it is (a redelivered evaluation decides nothing twice).
   */
  async recordEvaluation(em: EntityManager, outcome: EvaluationOutcome): Promise<AliasMove | null> {
    await lockModel(em, outcome.modelName);
    const version = await this.require(em, outcome.modelName, outcome.version);
    if (version.status !== 'candidate') return null;
    const status = outcome.decision === 'approved' ? 'approved' : outcome.decision;
    const now = new Date();
    await em.update(
      ModelVersion,
      { modelName: outcome.modelName, version: outcome.version },
      {
        status,
        evalRef: outcome.evalRef,
        metrics: { ...version.metrics, ...outcome.metrics },
        decidedBy: outcome.actor,
        decidedAt: now,
        decisionReason: outcome.reason,
        ...(outcome.decision === 'approved' ? { approvedBy: outcome.actor, approvedAt: now } : {}),
        updatedAt: now,
      },
    );
    if (outcome.decision !== 'approved') return null;
    return this.moveChampion(em, outcome.modelName, outcome.version, 'promotion', outcome.actor, outcome.reason, outcome.traceparent);
  }

  /** A person approves a pending (or approved, not serving) version: it becomes the champion. */
  approve(request: OperatorRequest & { version: string }): Promise<AliasMove> {
    return this.operate('approve', request, request.version, async (em) => {
      const version = await this.require(em, request.modelName, request.version);
      if (version.status !== 'pending' && version.status !== 'approved') {
        throw new RegistryError('invalid-transition', `${request.modelName} v${request.version} is ${version.status}; only a pending or approved version can be approved`);
      }
      const now = new Date();
      await em.update(
        ModelVersion,
        { modelName: request.modelName, version: request.version },
        { status: 'approved', decidedBy: request.actor, decidedAt: now, decisionReason: request.reason, approvedBy: request.actor, approvedAt: now, updatedAt: now },
      );
      return this.moveChampion(em, request.modelName, request.version, 'approval', request.actor, request.reason, request.traceparent);
    });
  }

  /** A person rejects a version that is not serving (the champion is taken back with rollback). */
  reject(request: OperatorRequest & { version: string }): Promise<ModelVersion> {
    return this.operate('reject', request, request.version, async (em) => {
      const version = await this.require(em, request.modelName, request.version);
      if (!['candidate', 'pending', 'approved'].includes(version.status)) {
        throw new RegistryError('invalid-transition', `${request.modelName} v${request.version} is ${version.status}; ${version.status === 'champion' ? 'roll the champion back instead' : 'it cannot be rejected'}`);
      }
      const now = new Date();
      await em.update(ModelVersion, { modelName: request.modelName, version: request.version }, { status: 'rejected', decidedBy: request.actor, decidedAt: now, decisionReason: request.reason, updatedAt: now });
      return (await this.require(em, request.modelName, request.version))!;
    });
  }

  /**
   * Re-points the champion to an earlier approved version: `to`, or by default the newest approved
   * version older than the champion (never one newer: after rolling v3 back to v2, a second rollback
   * goes on to v1 rather than back to the v3 just taken out). The version it leaves is archived.
   */
  rollback(request: OperatorRequest & { to?: string }): Promise<AliasMove> {
    return this.operate('rollback', request, request.to ?? null, async (em) => {
      const current = await this.champion(request.modelName, em);
      if (!current) throw new RegistryError('no-champion', `${request.modelName} has no champion to roll back`);
      const target = request.to ? await this.require(em, request.modelName, request.to) : await this.rollbackTarget(em, request.modelName, current.version);
      if (!target) throw new RegistryError('no-rollback-target', `${request.modelName} has no earlier approved version to roll back to`);
      if (target.version === current.version) throw new RegistryError('invalid-transition', `${request.modelName} v${target.version} is already the champion`);
      if (!target.approvedAt || !['approved', 'archived'].includes(target.status)) {
        throw new RegistryError('invalid-transition', `${request.modelName} v${target.version} is ${target.status} and was never approved; a rollback returns only to an approved version`);
      }
      return this.moveChampion(em, request.modelName, target.version, 'rollback', request.actor, request.reason, request.traceparent);
    });
  }

  /** Audits an attempt refused before it reached the registry (e.g. a bad token on the HTTP API). */
  async refused(action: RegistryActionName, request: OperatorRequest & { version?: string | null }, detail: string): Promise<void> {
    await this.db.manager.insert(RegistryAction, {
      modelName: request.modelName,
      version: request.version ?? null,
      action,
      actor: request.actor,
      reason: request.reason,
      channel: request.channel,
      outcome: 'refused',
      detail,
    });
  }

  /**
   * Alias moves not yet announced on Kafka, oldest first, locked so two announcers never send the same move at once.
   * `modelNamePrefix` limits them to model names starting with it (isolated environments sharing one database).
   */
  async unannounced(em: EntityManager, limit: number, modelNamePrefix = ''): Promise<ModelAliasChange[]> {
    const query = em.createQueryBuilder(ModelAliasChange, 'h').where('h.announced_at IS NULL');
    if (modelNamePrefix) query.andWhere('starts_with(h.model_name, :prefix)', { prefix: modelNamePrefix });
    return query
      .orderBy('h.id', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  async markAnnounced(em: EntityManager, ids: string[]): Promise<void> {
    if (ids.length > 0) await em.update(ModelAliasChange, { id: In(ids), announcedAt: IsNull() }, { announcedAt: new Date() });
  }

  private async operate<T>(action: RegistryActionName, request: OperatorRequest, version: string | null, work: (em: EntityManager) => Promise<T>): Promise<T> {
    const audit = { modelName: request.modelName, version, action, actor: request.actor, reason: request.reason, channel: request.channel };
    if (!request.reason.trim()) {
      await this.db.manager.insert(RegistryAction, { ...audit, outcome: 'refused', detail: 'a reason is required' });
      throw new RegistryError('invalid-transition', 'a reason is required for every registry change');
    }
    try {
      return await this.db.transaction(async (em) => {
        await lockModel(em, request.modelName);
        const result = await work(em);
        await em.insert(RegistryAction, { ...audit, version: version ?? (result as AliasMove).to ?? null, outcome: 'applied', detail: '' });
        return result;
      });
    } catch (err) {
      if (err instanceof RegistryError) await this.db.manager.insert(RegistryAction, { ...audit, outcome: 'refused', detail: err.message });
      throw err;
    }
  }

  private async moveChampion(
    em: EntityManager,
    modelName: string,
    version: string,
    change: ModelAliasChange['change'],
    actor: string,
    reason: string,
    traceparent?: string,
  ): Promise<AliasMove> {
    const now = new Date();
    const alias = await em.findOne(ModelAlias, { where: { modelName, alias: CHAMPION } });
    const from = alias?.version ?? null;
    if (from !== null && from !== version) await em.update(ModelVersion, { modelName, version: from }, { status: 'archived', updatedAt: now });
    await em.update(ModelVersion, { modelName, version }, { status: 'champion', updatedAt: now });
    await em.upsert(ModelAlias, { modelName, alias: CHAMPION, version, updatedAt: now }, ['modelName', 'alias']);
    await em.insert(ModelAliasChange, { modelName, alias: CHAMPION, fromVersion: from, toVersion: version, actor, reason, change, traceparent: traceparent ?? null, announcedAt: null });
    return { modelName, from, to: version, change };
  }

  /** The newest version older than the champion that was approved and may serve again. */
  private async rollbackTarget(em: EntityManager, modelName: string, champion: string): Promise<ModelVersion | null> {
    const candidates = await em.find(ModelVersion, { where: { modelName, status: In(['approved', 'archived']) } });
    return candidates.filter((v) => Number(v.version) < Number(champion) && v.approvedAt).sort((a, b) => Number(b.version) - Number(a.version))[0] ?? null;
  }

  private async require(em: EntityManager, modelName: string, version: string): Promise<ModelVersion> {
    const found = await em.findOne(ModelVersion, { where: { modelName, version } });
    if (!found) throw new RegistryError('version-not-found', `${modelName} has no version ${version}`);
    return found;
  }
}

/** Serialises every registry write of one model name until the transaction ends. */
async function lockModel(em: EntityManager, modelName: string): Promise<void> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('flowsentry.model:' || $1))`, [modelName]);
}
