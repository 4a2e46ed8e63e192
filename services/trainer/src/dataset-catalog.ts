import { DataSource, EntityManager } from 'typeorm';
import { sourceStreamOf } from '@flowsentry/contracts';

/** A SILVER dataset the trainer may train on: it has rows, hence an event-time range (epoch ms). */
export interface CatalogDataset {
  datasetId: string;
  /** `silver/<key>`, as silver.ready names it. */
  silverKey: string;
  sha256: string;
  rows: number;
  featureVersion: string;
  minEventTime: number;
  maxEventTime: number;
  /** The trainer's span that recorded it, as a W3C traceparent: a model trained on it links there. */
  traceParent?: string;
}

/** A dataset as a silver.ready announces it: an empty one has no event-time range. */
export type SeenDataset = Omit<CatalogDataset, 'minEventTime' | 'maxEventTime'> & { minEventTime: number | null; maxEventTime: number | null };

export function isTrainable(dataset: SeenDataset): dataset is CatalogDataset {
  return dataset.rows > 0 && dataset.minEventTime !== null && dataset.maxEventTime !== null;
}

/** Event-time order with a tie-break that does not depend on arrival: max event time, then dataset id. */
export function compareByEventTime(a: CatalogDataset, b: CatalogDataset): number {
  return a.maxEventTime - b.maxEventTime || (a.datasetId < b.datasetId ? -1 : a.datasetId > b.datasetId ? 1 : 0);
}

/**
 * The SILVER datasets the trainer has seen (table training_datasets): what a training window is
 * chosen from. Reads run before a step's transaction; `record` runs inside it, so a dataset is on
 * record exactly when the silver.ready that announced it is.
 */
export interface DatasetCatalog {
  /** The id prefix of this environment's datasets (see PostgresDatasetCatalog). */
  readonly scope: string;
  inScope(datasetId: string): boolean;
  record(em: EntityManager, dataset: SeenDataset): Promise<void>;
  find(datasetId: string): Promise<CatalogDataset | undefined>;
  /** The trainable dataset latest in event time: its feature version is the one in force. */
  newest(): Promise<CatalogDataset | undefined>;
  /** Trainable datasets of one feature version, in event-time order. */
  list(featureVersion: string): Promise<CatalogDataset[]>;
  /** Every source stream on record with the span of its trainable datasets (any feature version). */
  streamEnds(): Promise<StreamEnd[]>;
}

/** The event-time span a source stream's datasets cover (epoch ms): where it began, how far it has come. */
export interface StreamEnd {
  /** `<topic>/<partition>`, or '' for datasets whose id names no stream. */
  stream: string;
  start: number;
  end: number;
}

/** The stream a dataset is accounted to in the watermark: the one its id names, else one shared stream ''. */
export function streamOfDataset(datasetId: string): string {
  return sourceStreamOf(datasetId) ?? '';
}

interface CatalogRow {
  dataset_id: string;
  silver_ref: string;
  sha256: string;
  rows: number;
  feature_version: string;
  min_event_time: Date;
  max_event_time: Date;
  trace_parent: string | null;
}

const COLUMNS = 'dataset_id, silver_ref, sha256, rows, feature_version, min_event_time, max_event_time, trace_parent';
const TRAINABLE = 'rows > 0 AND min_event_time IS NOT NULL AND max_event_time IS NOT NULL AND starts_with(dataset_id, $1)';

/**
 * training_datasets has no environment column, and environments that share a database (test
 * runs, a staging prefix) must not train on each other's data. A dataset's id starts with its
 * environment's topic prefix (ingest names a batch after its physical topic, `<prefix>.network.events-p…`),
 * so the catalog reads only ids under `scope`: `<prefix>.`, or everything without a prefix.
 */
export class PostgresDatasetCatalog implements DatasetCatalog {
  constructor(
    private readonly db: DataSource,
    readonly scope: string,
  ) {}

  static scopeOf(topicPrefix: string): string {
    return topicPrefix ? `${topicPrefix}.` : '';
  }

  inScope(datasetId: string): boolean {
    return datasetId.startsWith(this.scope);
  }

  async record(em: EntityManager, d: SeenDataset): Promise<void> {
    await em.query(
      `INSERT INTO training_datasets (dataset_id, silver_ref, sha256, rows, feature_version, min_event_time, max_event_time, trace_parent, source_stream)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (dataset_id) DO NOTHING`,
      [d.datasetId, d.silverKey, d.sha256, d.rows, d.featureVersion, iso(d.minEventTime), iso(d.maxEventTime), d.traceParent ?? null, sourceStreamOf(d.datasetId) ?? null],
    );
  }

  async find(datasetId: string): Promise<CatalogDataset | undefined> {
    const rows: CatalogRow[] = await this.db.query(`SELECT ${COLUMNS} FROM training_datasets WHERE ${TRAINABLE} AND dataset_id = $2`, [this.scope, datasetId]);
    return rows[0] && fromRow(rows[0]);
  }

  async newest(): Promise<CatalogDataset | undefined> {
    const rows: CatalogRow[] = await this.db.query(`SELECT ${COLUMNS} FROM training_datasets WHERE ${TRAINABLE} ORDER BY max_event_time DESC, dataset_id COLLATE "C" DESC LIMIT 1`, [this.scope]);
    return rows[0] && fromRow(rows[0]);
  }

  async list(featureVersion: string): Promise<CatalogDataset[]> {
    const rows: CatalogRow[] = await this.db.query(
      `SELECT ${COLUMNS} FROM training_datasets WHERE ${TRAINABLE} AND feature_version = $2 ORDER BY max_event_time, dataset_id COLLATE "C"`,
      [this.scope, featureVersion],
    );
    return rows.map(fromRow);
  }

  async streamEnds(): Promise<StreamEnd[]> {
    const rows: Array<{ stream: string; start: Date; end: Date }> = await this.db.query(
      `SELECT coalesce(source_stream, '') AS stream, min(min_event_time) AS start, max(max_event_time) AS end FROM training_datasets WHERE ${TRAINABLE} GROUP BY 1 ORDER BY 1`,
      [this.scope],
    );
    return rows.map((r) => ({ stream: r.stream, start: new Date(r.start).getTime(), end: new Date(r.end).getTime() }));
  }
}

function fromRow(row: CatalogRow): CatalogDataset {
  return {
    datasetId: row.dataset_id,
    silverKey: row.silver_ref,
    sha256: row.sha256,
    rows: Number(row.rows),
    featureVersion: row.feature_version,
    minEventTime: new Date(row.min_event_time).getTime(),
    maxEventTime: new Date(row.max_event_time).getTime(),
    ...(row.trace_parent ? { traceParent: row.trace_parent } : {}),
  };
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
