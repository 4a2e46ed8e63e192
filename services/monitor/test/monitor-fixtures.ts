import { EntityManager } from 'typeorm';
import { ModelAliasChange, ModelVersion } from '@flowsentry/audit';
import { buildEvent, deterministicId, PipelineEventOf, Topics } from '@flowsentry/contracts';
import { AnomalyAlgorithm, FeaturePipeline, FeatureRecipe, SeededRandom } from '@flowsentry/ml';
import { StepContext } from '@flowsentry/runtime';
import { ColumnarTable, ColumnData, formatRef, modelRefs, ObjectRef, sha256Hex, silverRef, SilverValue, writeParquet } from '@flowsentry/storage';
import { Alert, AlertSink } from '../src/alerts/alert';
import { ChampionRef } from '../src/champion-model';
import { MonitorState, MonitorStateMovedError, MonitorStateRow } from '../src/monitor-state';
import { fitDetector } from '../../../test/support/fitted-detectors';
import { MemoryObjects } from '../../../test/support/memory-objects';

export const FEATURE_VERSION = 'f1.w1-1m';
export const T0 = Date.parse('2026-11-20T08:00:00Z');

export { MemoryObjects };

/** The state table in memory, revision-checked like PostgresMonitorState; writes land when the test commits them. */
export class MemoryMonitorState implements MonitorState {
  row: MonitorStateRow | undefined;

  async current(): Promise<MonitorStateRow | undefined> {
    return this.row && structuredClone(this.row);
  }

  async save(_em: EntityManager, next: Omit<MonitorStateRow, 'revision'>, expectedRevision: number | null): Promise<void> {
    if ((this.row?.revision ?? null) !== expectedRevision) throw new MonitorStateMovedError(next.champion.modelName, expectedRevision);
    this.row = { ...structuredClone(next), revision: (this.row?.revision ?? -1) + 1 };
  }
}

/** The registry's champion alias and its moves. */
export class MemoryRegistry {
  championVersion: ModelVersion | null = null;
  moves: ModelAliasChange[] = [];

  async champion(): Promise<ModelVersion | null> {
    return this.championVersion;
  }

  async history(): Promise<ModelAliasChange[]> {
    return this.moves;
  }

  promote(ref: ChampionRef, changedAt: string): void {
    this.championVersion = { modelName: ref.modelName, version: ref.version, onnxRef: ref.onnxKey, sha256: ref.sha256, metadataRef: ref.metadataKey, updatedAt: new Date(changedAt) } as ModelVersion;
    this.moves.push({ id: String(this.moves.length + 1), modelName: ref.modelName, alias: 'champion', toVersion: ref.version, changedAt: new Date(changedAt) } as ModelAliasChange);
  }
}

export class RecordingAlerts implements AlertSink {
  readonly raised: Alert[] = [];
  raise(alert: Alert): void {
    this.raised.push(alert);
  }
}

export const context: StepContext = { runId: 'run-1', attempt: 1, source: { topic: 'silver.ready', partition: 0, offset: '0' }, heartbeat: async () => undefined, annotate: () => undefined, link: () => undefined, upcoming: () => undefined, assignment: 1 };

/** Runs a step outcome's persist as the runtime's transaction would. */
export async function commit(outcome: { persist?(em: EntityManager): Promise<void> }): Promise<void> {
  await outcome.persist?.({} as EntityManager);
}

const NORMAL_STATES = ['SF', 'SF', 'SF', 'SF', 'SF', 'S0', 'RSTO', 'SF', 'S1', 'SF', 'SF', 'SF', 'REJ', 'SF', 'SF', 'SF', 'SF', 'SF', 'SF', 'SF'];

export interface FlowSpec {
  rows: number;
  seed: number;
  startMs?: number;
  /** Every n-th flow is a port scan probe (0: none). */
  scanEvery?: number;
  /** Added to log_bytes_out: another traffic regime. */
  shift?: number;
  /** The network.events partition the flows were read from (SILVER's source_partition). */
  partition?: number;
}

/**
 * SILVER-shaped flows: the NetworkEvent columns as transform writes them (int64 counters, epoch-ms
 * ts, null optional fields) and three feature columns. A port-scan probe comes from one scanner to
 * many ports of one host: a rejected, tiny flow whose source has hundreds of distinct destination
 * ports in its window.
 */
export function silverFlows(spec: FlowSpec): ColumnarTable {
  const random = new SeededRandom(spec.seed);
  const n = spec.rows;
  const startMs = spec.startMs ?? T0;
  const col = <T>(f: (i: number, scan: boolean) => T) => Array.from({ length: n }, (_, i) => f(i, !!spec.scanEvery && i % spec.scanEvery === spec.scanEvery - 1));
  const normal = () => Math.sqrt(-2 * Math.log(Math.max(random.nextDouble(), 1e-12))) * Math.cos(2 * Math.PI * random.nextDouble());
  const bytesOut = col((_, scan) => (scan ? 40 : Math.round(Math.exp(7 + (spec.shift ?? 0) + normal()))));
  const columns: ColumnData[] = [
    { name: 'event_id', type: 'utf8', values: col((i) => `e-${spec.seed}-${i}`) },
    { name: 'event_key', type: 'utf8', values: col((i) => `k-${spec.seed}-${i}`) },
    { name: 'ts', type: 'timestamp_ms', values: col((i) => startMs + i * 100) },
    { name: 'sensor_id', type: 'utf8', values: col(() => 'edge-fw-01') },
    { name: 'src_ip', type: 'utf8', values: col((i, scan) => (scan ? '203.0.113.7' : `10.1.0.${1 + (i % 40)}`)) },
    { name: 'dst_ip', type: 'utf8', values: col((_, scan) => (scan ? '10.30.0.5' : '198.51.100.20')) },
    { name: 'src_port', type: 'int32', values: col((i, scan) => (scan ? 40000 : 49152 + (i % 10000))) },
    { name: 'dst_port', type: 'int32', values: col((i, scan) => (scan ? 1 + ((i * 7) % 1024) : [443, 80, 53][i % 3]!)) },
    { name: 'protocol', type: 'utf8', values: col(() => 'tcp') },
    { name: 'bytes_in', type: 'int64', values: col((_, scan) => (scan ? 40 : 1000 + random.nextInt(50000))) },
    { name: 'bytes_out', type: 'int64', values: bytesOut },
    { name: 'packets_in', type: 'int64', values: col((_, scan) => (scan ? 1 : 5 + random.nextInt(20))) },
    { name: 'packets_out', type: 'int64', values: col((_, scan) => (scan ? 1 : 5 + random.nextInt(20))) },
    { name: 'duration_ms', type: 'double', values: col((_, scan) => (scan ? 0 : 50 + random.nextDouble() * 2000)) },
    { name: 'tcp_flags', type: 'utf8', values: col((_, scan) => (scan ? 'SR' : 'SAPF')) },
    { name: 'conn_state', type: 'utf8', values: col((i, scan) => (scan ? 'REJ' : NORMAL_STATES[i % NORMAL_STATES.length]!)) },
    { name: 'app_proto', type: 'utf8', values: col((_, scan) => (scan ? null : 'tls')) },
    { name: 'label', type: 'utf8', values: col((_, scan) => (scan ? 'portscan' : 'normal')) },
    { name: 'log_bytes_out', type: 'double', values: bytesOut.map((b) => Math.log1p(b)) },
    { name: 'src_distinct_dst_ports_1m', type: 'double', values: col((i, scan) => (scan ? 300 + i : 1 + random.nextInt(4))) },
    { name: 'src_iat_cv_1m', type: 'double', values: col((i) => (i % 5 === 0 ? NaN : random.nextDouble() * 2)) },
    { name: 'source_topic', type: 'utf8', values: col(() => 'it.network.events') },
    { name: 'source_partition', type: 'int32', values: col(() => spec.partition ?? 0) },
  ];
  return { rowCount: n, columns };
}

/** The model's recipes over the fixture's feature columns, shaped like the trainer's (counts through log1p, conn_state ordinal). */
export const RECIPES: FeatureRecipe[] = [
  { kind: 'numeric', name: 'log_bytes_out', field: 'log_bytes_out', transform: 'identity' },
  { kind: 'numeric', name: 'dst_port', field: 'dst_port', transform: 'identity' },
  { kind: 'ordinal', name: 'conn_state', field: 'conn_state', maxCategories: 16 },
  { kind: 'numeric', name: 'log1p_src_distinct_dst_ports_1m', field: 'src_distinct_dst_ports_1m', transform: 'log1p' },
  { kind: 'numeric', name: 'src_iat_cv_1m', field: 'src_iat_cv_1m', transform: 'identity' },
];

export interface SilverObject {
  datasetId: string;
  silverKey: string;
  sha256: string;
  rows: number;
  minEventTime: number;
  maxEventTime: number;
}

export async function putSilver(objects: { put(ref: ObjectRef, bytes: Buffer, contentType: string): Promise<unknown> }, datasetId: string, table: ColumnarTable): Promise<SilverObject> {
  const bytes = await writeParquet(table);
  const ts = table.columns.find((c) => c.name === 'ts')?.values as number[] | undefined;
  const minEventTime = ts ? Math.min(...ts) : T0;
  const ref = silverRef(datasetId, new Date(minEventTime).toISOString().slice(0, 10));
  await objects.put(ref, bytes, 'application/vnd.apache.parquet');
  return { datasetId, silverKey: formatRef(ref), sha256: sha256Hex(bytes), rows: table.rowCount, minEventTime, maxEventTime: ts ? Math.max(...ts) : T0 };
}

/**
 * Trains and writes a champion the way the trainer does (offset = the alert-rate quantile of the
 * training rows' score_samples, seeded, LOF and SVM standardised on a subsample; model.onnx +
 * model.json with its training datasets), on the given SILVER datasets.
 */
export async function publishChampion(
  objects: MemoryObjects | { put(ref: ObjectRef, bytes: Buffer, contentType: string): Promise<unknown>; get(ref: ObjectRef): Promise<Buffer> },
  training: Array<{ dataset: SilverObject; table: ColumnarTable }>,
  options: { modelName: string; version: string; alertRate?: number; trees?: number; excludeLabelled?: boolean; algorithm?: AnomalyAlgorithm },
): Promise<ChampionRef> {
  const records = training
    .flatMap(({ table }) => Array.from({ length: table.rowCount }, (_, i) => Object.fromEntries(table.columns.map((c) => [c.name, c.values[i] as SilverValue]))))
    .filter((r) => !options.excludeLabelled || r.label === 'normal');
  const pipeline = FeaturePipeline.fit(records, RECIPES);
  const alertRate = options.alertRate ?? 0.01;
  const fitted = fitDetector(pipeline.transform(records), options.algorithm ?? 'isolation-forest', { alertRate, seed: 42, trees: options.trees ?? 50, lofRows: 2_000, svmComponents: 100 });
  const onnx = Buffer.from(fitted.exportOnnx(pipeline.spec, { modelName: options.modelName, modelVersion: options.version }));
  const refs = modelRefs(options.modelName, options.version);
  const card = {
    format: 'flowsentry.model.json/1',
    modelName: options.modelName,
    version: options.version,
    algorithm: options.algorithm ?? 'isolation-forest',
    alertRate,
    threshold: -fitted.offset,
    offset: fitted.offset,
    featuresSchemaVersion: FEATURE_VERSION,
    featureNames: pipeline.featureNames,
    featureSpec: pipeline.spec,
    training: { rows: records.length, excludeLabelled: options.excludeLabelled ?? false, datasets: training.map(({ dataset }) => ({ key: dataset.silverKey, sha256: dataset.sha256, rows: dataset.rows })) },
  };
  await objects.put(refs.onnx, onnx, 'application/octet-stream');
  await objects.put(refs.metadata, Buffer.from(JSON.stringify(card, null, 2)), 'application/json');
  return { modelName: options.modelName, version: options.version, onnxKey: formatRef(refs.onnx), sha256: sha256Hex(onnx), metadataKey: formatRef(refs.metadata) };
}

export function silverReadyEvent(d: SilverObject, featureVersion = FEATURE_VERSION): PipelineEventOf<typeof Topics.silverReady> {
  return buildEvent(Topics.silverReady, {
    id: deterministicId('silver.ready', d.datasetId),
    service: 'transform',
    subject: d.datasetId,
    data: {
      datasetId: d.datasetId,
      silverKey: d.silverKey,
      sha256: d.sha256,
      rawKeys: [{ key: `raw/${d.datasetId}.jsonl.gz`, sha256: d.sha256 }],
      rows: d.rows,
      featuresSchemaVersion: featureVersion,
      quality: { inputRows: d.rows, duplicates: 0, dropped: 0, nullRatio: {} },
      minEventTime: new Date(d.minEventTime).toISOString(),
      maxEventTime: new Date(d.maxEventTime).toISOString(),
    },
  });
}

export function championChangedEvent(ref: ChampionRef, changedAt: string, change: 'promotion' | 'approval' | 'rollback' = 'promotion', previousVersion: string | null = null): PipelineEventOf<typeof Topics.championChanged> {
  return buildEvent(Topics.championChanged, {
    id: deterministicId('champion.changed', ref.modelName, ref.version, changedAt),
    service: 'evaluator',
    subject: ref.modelName,
    data: { ...ref, previousVersion, change, actor: 'evaluator:auto', reason: 'better on the holdout', changedAt },
  });
}
