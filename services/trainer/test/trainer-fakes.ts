import { EntityManager } from 'typeorm';
import { CandidateVersion } from '@flowsentry/audit';
import { buildEvent, deterministicId, Topics } from '@flowsentry/contracts';
import { StepContext } from '@flowsentry/runtime';
import { CatalogDataset, compareByEventTime, DatasetCatalog, isTrainable, SeenDataset, StreamEnd, streamOfDataset } from '../src/dataset-catalog';
import { NewestModel, TrainedModels, VersionTakenError } from '../src/trained-models';
import { DriftRequest, OpenRequest, TrainingRequests } from '../src/training-requests';

export { MemoryObjects } from '../../../test/support/memory-objects';

/** Writes made in `persist` land only when the test commits them, as a transaction would. */
const em = {} as EntityManager;

export class MemoryCatalog implements DatasetCatalog {
  readonly rows = new Map<string, SeenDataset>();
  constructor(readonly scope = '') {}

  inScope(datasetId: string): boolean {
    return datasetId.startsWith(this.scope);
  }

  async record(_em: EntityManager, dataset: SeenDataset): Promise<void> {
    if (!this.rows.has(dataset.datasetId)) this.rows.set(dataset.datasetId, dataset);
  }

  async find(datasetId: string): Promise<CatalogDataset | undefined> {
    return this.trainable().find((d) => d.datasetId === datasetId);
  }

  async newest(): Promise<CatalogDataset | undefined> {
    return this.trainable().sort(compareByEventTime).at(-1);
  }

  async list(featureVersion: string): Promise<CatalogDataset[]> {
    return this.trainable()
      .filter((d) => d.featureVersion === featureVersion)
      .sort(compareByEventTime);
  }

  async streamEnds(): Promise<StreamEnd[]> {
    const ends = new Map<string, StreamEnd>();
    for (const d of this.trainable()) {
      const stream = streamOfDataset(d.datasetId);
      const known = ends.get(stream);
      ends.set(stream, { stream, start: Math.min(known?.start ?? Infinity, d.minEventTime), end: Math.max(known?.end ?? -Infinity, d.maxEventTime) });
    }
    return [...ends.values()].sort((a, b) => (a.stream < b.stream ? -1 : 1));
  }

  private trainable(): CatalogDataset[] {
    return [...this.rows.values()].filter((d): d is CatalogDataset => isTrainable(d) && this.inScope(d.datasetId));
  }
}

export interface RequestRow extends DriftRequest {
  id: string;
  status: 'open' | 'absorbed' | 'done';
  resolvedBy?: string;
}

export class MemoryRequests implements TrainingRequests {
  readonly rows: RequestRow[] = [];

  async open(modelName: string): Promise<OpenRequest | undefined> {
    const row = this.rows.find((r) => r.modelName === modelName && r.status === 'open');
    return row && { id: row.id, regimeSince: row.regimeSince, eventId: row.eventId };
  }

  async raise(_em: EntityManager, request: DriftRequest): Promise<string> {
    if (this.rows.some((r) => r.modelName === request.modelName && r.status === 'open')) throw new Error('duplicate key value violates unique constraint "training_requests_one_open_idx"');
    const id = String(this.rows.length + 1);
    this.rows.push({ ...request, id, status: 'open' });
    return id;
  }

  async absorb(_em: EntityManager, request: DriftRequest, into: string): Promise<void> {
    this.rows.push({ ...request, detail: { ...request.detail, absorbedInto: into }, id: String(this.rows.length + 1), status: 'absorbed' });
  }

  async resolve(_em: EntityManager, id: string, version: string): Promise<void> {
    const row = this.rows.find((r) => r.id === id && r.status === 'open');
    if (row) Object.assign(row, { status: 'done', resolvedBy: version });
  }
}

export class MemoryModels implements TrainedModels {
  readonly versions: CandidateVersion[] = [];

  async newest(modelName: string): Promise<NewestModel | undefined> {
    const mine = this.versions.filter((v) => v.modelName === modelName).sort((a, b) => Number(b.version) - Number(a.version));
    return mine[0] && { version: mine[0].version, windowEndMs: mine[0].metrics.window_end_ms ?? null };
  }

  async nextVersion(modelName: string): Promise<number> {
    return Math.max(0, ...this.versions.filter((v) => v.modelName === modelName).map((v) => Number(v.version))) + 1;
  }

  async register(_em: EntityManager, candidate: CandidateVersion): Promise<void> {
    if (Number(candidate.version) < (await this.nextVersion(candidate.modelName))) throw new VersionTakenError(candidate.modelName, candidate.version);
    this.versions.push(candidate);
  }
}

/** Source streams as the broker would list them: by default none beyond those on record. */
export class FixedStreams {
  constructor(public streams: string[] = []) {}

  async list(): Promise<string[]> {
    return this.streams;
  }
}

export function memoryState() {
  return { catalog: new MemoryCatalog(), requests: new MemoryRequests(), models: new MemoryModels(), sources: new FixedStreams() };
}

export const fakeContext: StepContext = {
  runId: 'run-1',
  attempt: 1,
  source: { topic: 'silver.ready', partition: 0, offset: '0' },
  heartbeat: async () => undefined,
  annotate: () => undefined,
  link: () => undefined,
  upcoming: () => undefined,
  assignment: 1,
};

/** Runs the outcome's persist as the runtime's commit would. */
export async function commit(outcome: { persist?(em: EntityManager): Promise<void> }): Promise<void> {
  await outcome.persist?.(em);
}

export const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } as never;

/** The silver.ready transform would emit for a dataset. */
export function silverReadyEvent(d: CatalogDataset, time = new Date(d.maxEventTime + 5_000)) {
  return buildEvent(Topics.silverReady, {
    id: deterministicId('silver.ready', d.datasetId),
    service: 'transform',
    subject: d.datasetId,
    time,
    data: {
      datasetId: d.datasetId,
      silverKey: d.silverKey,
      sha256: d.sha256,
      rawKeys: [{ key: `raw/${d.datasetId}.jsonl.gz`, sha256: 'c'.repeat(64) }],
      rows: d.rows,
      featuresSchemaVersion: d.featureVersion,
      quality: { inputRows: d.rows, duplicates: 0, dropped: 0, nullRatio: {} },
      minEventTime: new Date(d.minEventTime).toISOString(),
      maxEventTime: new Date(d.maxEventTime).toISOString(),
    },
  });
}

/** A drift.detected the monitor would emit about a dataset. */
export function driftEvent(modelName: string, datasetId: string, n: number, time = new Date('2026-11-03T00:00:00Z'), regimeSince?: Date) {
  return buildEvent(Topics.driftDetected, {
    id: deterministicId('drift.detected', modelName, datasetId, n),
    service: 'monitor',
    subject: modelName,
    time,
    data: {
      modelName,
      championVersion: '1',
      datasetId,
      reportKey: `monitor/${modelName}/drift-${n}.json`,
      severity: 'high',
      driftedFeatures: [],
      reason: 'test drift',
      ...(regimeSince ? { regimeSince: regimeSince.toISOString() } : {}),
    },
  });
}
