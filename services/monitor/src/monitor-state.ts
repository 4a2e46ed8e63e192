import { DataSource, EntityManager } from 'typeorm';
import { FlowsentryError } from '@flowsentry/contracts';
import { ChampionRef } from './champion-model';
import { DriftState } from './drift-rule';

/** The champion the monitor scores with, and how it learnt of it. */
export interface MonitoredChampion extends ChampionRef {
  /** When the champion alias moved to it (champion.changed's changedAt, or the registry's history). */
  changedAt: string;
  source: 'champion.changed' | 'registry';
}

/** One row of monitor_champions: the champion in force and its drift state. */
export interface MonitorStateRow {
  champion: MonitoredChampion;
  drift: DriftState;
  /** Bumped by every write: a step writes only over the revision it read. */
  revision: number;
}

/** Another delivery or instance changed the row since this step read it: running the step again decides on the new state. */
export class MonitorStateMovedError extends FlowsentryError {
  constructor(modelName: string, expected: number | null) {
    super('monitor-state-moved', `the monitor state of ${modelName} changed since revision ${expected ?? '(none)'} was read; the step runs again`, true);
  }
}

/**
 * The monitor's own state (table monitor_champions, one row per consumer group and model name):
 * which champion is in force and the drift streaks / cool-down for it. Read before a step, written
 * in the step's transaction (StepOutcome.persist), so the state moves exactly when the event that
 * moved it is marked processed. Writes are conditional on the revision the step read, so two
 * instances (or a champion move between a batch's read and its commit) cannot overwrite each
 * other's decision: the loser's step is retried and decides again.
 */
export interface MonitorState {
  current(): Promise<MonitorStateRow | undefined>;
  save(em: EntityManager, next: Omit<MonitorStateRow, 'revision'>, expectedRevision: number | null): Promise<void>;
}

interface Row {
  version: string;
  onnx_ref: string;
  sha256: string;
  metadata_ref: string;
  changed_at: Date;
  source: MonitoredChampion['source'];
  drift_streaks: DriftState['streams'];
  drift_raised_at: Date | null;
  drift_raised_dataset: string | null;
  revision: string;
}

export class PostgresMonitorState implements MonitorState {
  constructor(
    private readonly db: DataSource,
    private readonly consumerGroup: string,
    private readonly modelName: string,
  ) {}

  async current(): Promise<MonitorStateRow | undefined> {
    const rows: Row[] = await this.db.query(
      `SELECT version, onnx_ref, sha256, metadata_ref, changed_at, source, drift_streaks, drift_raised_at, drift_raised_dataset, revision
         FROM monitor_champions WHERE consumer_group = $1 AND model_name = $2`,
      [this.consumerGroup, this.modelName],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      champion: {
        modelName: this.modelName,
        version: row.version,
        onnxKey: row.onnx_ref,
        sha256: row.sha256,
        metadataKey: row.metadata_ref,
        changedAt: new Date(row.changed_at).toISOString(),
        source: row.source,
      },
      drift: {
        streams: row.drift_streaks,
        raisedAtMs: row.drift_raised_at ? new Date(row.drift_raised_at).getTime() : null,
        raisedDataset: row.drift_raised_dataset,
      },
      revision: Number(row.revision),
    };
  }

  async save(em: EntityManager, next: Omit<MonitorStateRow, 'revision'>, expectedRevision: number | null): Promise<void> {
    const { champion: c, drift: d } = next;
    const values = [
      this.consumerGroup,
      this.modelName,
      c.version,
      c.onnxKey,
      c.sha256,
      c.metadataKey,
      c.changedAt,
      c.source,
      JSON.stringify(d.streams),
      d.raisedAtMs === null ? null : new Date(d.raisedAtMs).toISOString(),
      d.raisedDataset,
    ];
    // Both statements are SELECTs at the top, so the driver returns the affected rows either way.
    const written: unknown[] =
      expectedRevision === null
        ? await em.query(
            `WITH inserted AS (
               INSERT INTO monitor_champions (consumer_group, model_name, version, onnx_ref, sha256, metadata_ref, changed_at, source, drift_streaks, drift_raised_at, drift_raised_dataset)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (consumer_group, model_name) DO NOTHING RETURNING revision)
             SELECT revision FROM inserted`,
            values,
          )
        : await em.query(
            `WITH updated AS (
               UPDATE monitor_champions SET version = $3, onnx_ref = $4, sha256 = $5, metadata_ref = $6, changed_at = $7, source = $8, drift_streaks = $9,
                      drift_raised_at = $10, drift_raised_dataset = $11, revision = revision + 1, updated_at = now()
                WHERE consumer_group = $1 AND model_name = $2 AND revision = $12 RETURNING revision)
             SELECT revision FROM updated`,
            [...values, expectedRevision],
          );
    if (written.length !== 1) throw new MonitorStateMovedError(this.modelName, expectedRevision);
  }
}
