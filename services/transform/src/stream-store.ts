import { DataSource, EntityManager } from 'typeorm';
import { packKeys, unpackKeys } from './dedup-index';

/** One SILVER batch of a stream as transform's state remembers it. */
export interface BatchRecord {
  firstOffset: string;
  lastOffset: string;
  rawRef: string;
  rawSha256: string;
  minTs: number | null;
  maxTs: number | null;
  /** Key hashes of the rows the batch wrote, in row order. */
  keys: Float64Array;
}

/** What building a batch reads of its stream's recorded state (a worker thread asks the main thread for it). */
export type StreamReads = Pick<StreamStore, 'lastBatchBefore' | 'checkpointBefore' | 'batchesBetween' | 'keysSince'>;

/** Where transform keeps a stream's state between batches (PostgreSQL in production, a fake in specs). */
export interface StreamStore {
  /** Last offset of the latest batch recorded before `firstOffset`. */
  lastBatchBefore(stream: string, firstOffset: string): Promise<string | undefined>;
  checkpointBefore(stream: string, firstOffset: string): Promise<{ lastOffset: string; state: Buffer } | undefined>;
  /** Batches after `afterOffset` (exclusive; all when undefined) and before `firstOffset`, in offset order. */
  batchesBetween(stream: string, afterOffset: string | undefined, firstOffset: string): Promise<BatchRecord[]>;
  /** Key hashes of batches before `firstOffset` whose newest event is at or after `since`. */
  keysSince(stream: string, firstOffset: string, since: number): Promise<Array<{ maxTs: number; keys: Float64Array }>>;
  saveBatch(em: EntityManager, stream: string, batch: BatchRecord): Promise<void>;
  saveCheckpoint(em: EntityManager, stream: string, lastOffset: string, state: Buffer): Promise<void>;
  /** Drops batches no restart can need: older than `before` (event time) and at or before the checkpoint at `checkpointOffset`. */
  prune(em: EntityManager, stream: string, before: number, checkpointOffset: string): Promise<void>;
}

/** StreamStore on transform's tables (`transform_batches`, `transform_checkpoints`), scoped to one consumer group and feature version. */
export class PostgresStreamStore implements StreamStore {
  constructor(
    private readonly db: DataSource,
    private readonly consumerGroup: string,
    private readonly featureVersion: string,
  ) {}

  async lastBatchBefore(stream: string, firstOffset: string): Promise<string | undefined> {
    const [row] = await this.db.query(`SELECT max(last_offset)::text AS last FROM transform_batches WHERE consumer_group = $1 AND stream = $2 AND feature_version = $3 AND last_offset < $4`, [
      this.consumerGroup,
      stream,
      this.featureVersion,
      firstOffset,
    ]);
    return row?.last ?? undefined;
  }

  async checkpointBefore(stream: string, firstOffset: string): Promise<{ lastOffset: string; state: Buffer } | undefined> {
    const [row] = await this.db.query(
      `SELECT last_offset::text AS last, window_state FROM transform_checkpoints
       WHERE consumer_group = $1 AND stream = $2 AND feature_version = $3 AND last_offset < $4 ORDER BY last_offset DESC LIMIT 1`,
      [this.consumerGroup, stream, this.featureVersion, firstOffset],
    );
    return row ? { lastOffset: row.last, state: row.window_state } : undefined;
  }

  async batchesBetween(stream: string, afterOffset: string | undefined, firstOffset: string): Promise<BatchRecord[]> {
    const rows: BatchRow[] = await this.db.query(
      `SELECT first_offset::text AS first, last_offset::text AS last, raw_ref, raw_sha256, min_ms, max_ms, event_keys FROM (
         SELECT *, (extract(epoch FROM min_event_time) * 1000)::float8 AS min_ms, (extract(epoch FROM max_event_time) * 1000)::float8 AS max_ms FROM transform_batches
         WHERE consumer_group = $1 AND stream = $2 AND feature_version = $3 AND last_offset > $4 AND last_offset < $5) b
       ORDER BY last_offset`,
      [this.consumerGroup, stream, this.featureVersion, afterOffset ?? '-1', firstOffset],
    );
    return rows.map((r) => ({ firstOffset: r.first, lastOffset: r.last, rawRef: r.raw_ref, rawSha256: r.raw_sha256, minTs: r.min_ms, maxTs: r.max_ms, keys: unpackKeys(r.event_keys) }));
  }

  async keysSince(stream: string, firstOffset: string, since: number): Promise<Array<{ maxTs: number; keys: Float64Array }>> {
    const rows: Array<{ max_ms: number; event_keys: Buffer }> = await this.db.query(
      `SELECT (extract(epoch FROM max_event_time) * 1000)::float8 AS max_ms, event_keys FROM transform_batches
       WHERE consumer_group = $1 AND stream = $2 AND feature_version = $3 AND last_offset < $4 AND max_event_time >= to_timestamp($5 / 1000.0)
       ORDER BY last_offset`,
      [this.consumerGroup, stream, this.featureVersion, firstOffset, since],
    );
    return rows.map((r) => ({ maxTs: r.max_ms, keys: unpackKeys(r.event_keys) }));
  }

  async saveBatch(em: EntityManager, stream: string, b: BatchRecord): Promise<void> {
    await em.query(
      `INSERT INTO transform_batches (consumer_group, stream, feature_version, first_offset, last_offset, raw_ref, raw_sha256, min_event_time, max_event_time, event_keys)
       VALUES ($1, $2, $3, $4, $5, $6, $7, to_timestamp($8 / 1000.0), to_timestamp($9 / 1000.0), $10) ON CONFLICT DO NOTHING`,
      [this.consumerGroup, stream, this.featureVersion, b.firstOffset, b.lastOffset, b.rawRef, b.rawSha256, b.minTs, b.maxTs, packKeys(b.keys)],
    );
  }

  async saveCheckpoint(em: EntityManager, stream: string, lastOffset: string, state: Buffer): Promise<void> {
    await em.query(`INSERT INTO transform_checkpoints (consumer_group, stream, feature_version, last_offset, window_state) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, [
      this.consumerGroup,
      stream,
      this.featureVersion,
      lastOffset,
      state,
    ]);
  }

  async prune(em: EntityManager, stream: string, before: number, checkpointOffset: string): Promise<void> {
    const scope = [this.consumerGroup, stream, this.featureVersion];
    await em.query(`DELETE FROM transform_batches WHERE consumer_group = $1 AND stream = $2 AND feature_version = $3 AND last_offset <= $4 AND (max_event_time < to_timestamp($5 / 1000.0) OR max_event_time IS NULL)`, [
      ...scope,
      checkpointOffset,
      before,
    ]);
    // Two checkpoints stay: the latest, and one before it in case the latest's batch is being replayed.
    await em.query(
      `DELETE FROM transform_checkpoints WHERE consumer_group = $1 AND stream = $2 AND feature_version = $3 AND last_offset < (
         SELECT min(last_offset) FROM (SELECT last_offset FROM transform_checkpoints WHERE consumer_group = $1 AND stream = $2 AND feature_version = $3 ORDER BY last_offset DESC LIMIT 2) latest)`,
      scope,
    );
  }
}

interface BatchRow {
  first: string;
  last: string;
  raw_ref: string;
  raw_sha256: string;
  min_ms: number | null;
  max_ms: number | null;
  event_keys: Buffer;
}
