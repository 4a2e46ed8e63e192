import { DataSource, EntityManager } from 'typeorm';

/** A retrain drift asked for and no model has answered yet. */
export interface OpenRequest {
  id: string;
  /** Event time (epoch ms) from which data belongs to the new regime. */
  regimeSince: number;
  eventId: string;
}

export interface DriftRequest {
  modelName: string;
  eventId: string;
  regimeSince: number;
  detail: Record<string, unknown>;
}

/**
 * Retrain requests raised by drift (table training_requests). At most one is open per model name
 * (a unique partial index), which is the debounce: drift events that arrive while one is open are
 * recorded as `absorbed` into it, and one model answers them all (`done`, resolved_by = version).
 */
export interface TrainingRequests {
  open(modelName: string): Promise<OpenRequest | undefined>;
  /** Opens a request; the unique index refuses a second open one (the step is then retried and absorbs). */
  raise(em: EntityManager, request: DriftRequest): Promise<string>;
  absorb(em: EntityManager, request: DriftRequest, into: string): Promise<void>;
  resolve(em: EntityManager, id: string, version: string): Promise<void>;
}

export class PostgresTrainingRequests implements TrainingRequests {
  constructor(private readonly db: DataSource) {}

  async open(modelName: string): Promise<OpenRequest | undefined> {
    const rows: Array<{ id: string; regime_since: Date | null; event_id: string }> = await this.db.query(
      `SELECT id, regime_since, event_id FROM training_requests WHERE model_name = $1 AND status = 'open'`,
      [modelName],
    );
    const row = rows[0];
    return row && { id: String(row.id), regimeSince: row.regime_since ? new Date(row.regime_since).getTime() : 0, eventId: row.event_id };
  }

  async raise(em: EntityManager, r: DriftRequest): Promise<string> {
    const rows: Array<{ id: string }> = await em.query(
      `INSERT INTO training_requests (model_name, trigger, event_id, regime_since, detail, status) VALUES ($1, 'drift.detected', $2, $3, $4, 'open') RETURNING id`,
      [r.modelName, r.eventId, new Date(r.regimeSince).toISOString(), JSON.stringify(r.detail)],
    );
    return String(rows[0]!.id);
  }

  async absorb(em: EntityManager, r: DriftRequest, into: string): Promise<void> {
    await em.query(
      `INSERT INTO training_requests (model_name, trigger, event_id, regime_since, detail, status) VALUES ($1, 'drift.detected', $2, $3, $4, 'absorbed')`,
      [r.modelName, r.eventId, new Date(r.regimeSince).toISOString(), JSON.stringify({ ...r.detail, absorbedInto: into })],
    );
  }

  async resolve(em: EntityManager, id: string, version: string): Promise<void> {
    await em.query(`UPDATE training_requests SET status = 'done', resolved_by = $2 WHERE id = $1 AND status = 'open'`, [id, version]);
  }
}
