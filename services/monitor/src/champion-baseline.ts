import { Baseline, buildBaseline, CellValue, FeatureMatrix, featureFields, readBaseline, writeConstraintsJson, writeStatisticsJson } from '@flowsentry/ml';
import { StepArtifact } from '@flowsentry/runtime';
import { formatRef, isNotFoundError, ObjectRef, ObjectStore, readSilverRows, sha256Hex, SilverRows, SilverValue } from '@flowsentry/storage';
import { anomalyScores, featureMatrixOf } from './batch-features';
import { BaselineScores, baselineScores, parseBaselineScores } from './baseline-scores';
import { ChampionModel } from './champion-model';
import { baselineRefs, ReferenceRefs } from './monitor-refs';
import { cellValues, columnOf, readSilverBatch } from './silver-batch';
import { rowStreams } from './source-stream';

export const MANIFEST_FORMAT = 'flowsentry.monitor.baseline/1';
/** Seed of the per-column reservoirs in statistics.json: fixed, so the same training data gives the same bytes. */
export const BASELINE_SEED = 1;
/**
 * Training rows a source stream needs for a baseline of its own. Below 1,000 the drift tests
 * switch to p-value tests on a small reference (libs/ml test-selection) whose false-alarm rate is
 * α per feature; such a stream is judged against all training rows instead.
 */
export const MIN_STREAM_ROWS = 1000;

/** One reference distribution: Model Monitor's pair plus the champion's scores on the same rows. */
export interface ReferenceBaseline {
  baseline: Baseline;
  scores: BaselineScores;
}

/** manifest.json: what the baseline holds, and the training SILVER's columns (which the extra-column check compares batches with). */
export interface BaselineManifest {
  format: typeof MANIFEST_FORMAT;
  modelName: string;
  version: string;
  featuresSchemaVersion: string | null;
  /** Training rows described: the champion's training rows less the labelled attacks it was fitted without. */
  rows: number;
  excludedRows: number;
  columns: Array<{ name: string; type: string }>;
  /** Source streams with a reference of their own (see source-stream.ts), by name. */
  streams: Array<{ stream: string; rows: number }>;
}

/** Everything a batch is judged against for one champion. */
export interface ChampionBaseline {
  manifest: BaselineManifest;
  /** All training rows: the data-quality constraints, the typical ranges, and the drift reference of a stream without its own. */
  global: ReferenceBaseline;
  streams: ReadonlyMap<string, ReferenceBaseline>;
}

export interface StoredBaseline {
  baseline: ChampionBaseline;
  /** Its objects, as a step records them. */
  artifacts: StepArtifact[];
  /** False when the objects were already in MONITOR (an earlier delivery, or the same version again after a rollback). */
  built: boolean;
}

/** What building a baseline needs to score the training rows: the champion's scorer. */
export interface BatchScorer {
  score(matrix: FeatureMatrix): Promise<{ scoreSamples: Float64Array }>;
}

/**
 * The champion's baseline under `monitor/<model>/<version>/baseline/`: read back if it is there,
 * else built from the champion's training datasets and written. It describes the rows the champion
 * was fitted on (every row of its training datasets, verified by hash, less the labelled attacks
 * when it was trained without them), through the SILVER columns it reads (featureFields of its
 * spec): statistics.json / constraints.json by libs/ml, scores.json from the champion's own
 * scores of those rows. Once for all rows, once per source stream.
 *
 * Every byte is a function of the model and its training data (fixed seeds, no clock), which
 * write-once storage requires of a step that may run twice; reading an existing baseline rather
 * than rebuilding it also keeps an older monitor build's baseline authoritative for its version.
 */
export async function championBaseline(
  objects: Pick<ObjectStore, 'get' | 'put'>,
  model: ChampionModel,
  scorer: BatchScorer,
  heartbeat: () => Promise<void> = async () => undefined,
): Promise<StoredBaseline> {
  const existing = await readStored(objects, model);
  if (existing) return { ...existing, built: false };

  const baseline = await buildChampionBaseline(objects, model, scorer, heartbeat);
  const artifacts: StepArtifact[] = [];
  // manifest.json last: a baseline is complete once it is there, and readStored starts from it.
  for (const [ref, bytes] of serializeBaseline(model, baseline)) {
    const stored = await objects.put(ref, bytes, 'application/json');
    artifacts.push(artifactOf(ref, stored.sha256, stored.size));
  }
  return { baseline, artifacts, built: true };
}

export async function buildChampionBaseline(objects: Pick<ObjectStore, 'get'>, model: ChampionModel, scorer: BatchScorer, heartbeat: () => Promise<void> = async () => undefined): Promise<ChampionBaseline> {
  const { modelName, version } = model.ref;
  const first = await readSilverBatch(objects, model.training[0]!);
  const has = (name: string) => first.names.includes(name);
  const fields = featureFields(model.spec);
  const extra = [...(model.excludeLabelled && has('label') ? ['label'] : []), ...(has('source_partition') ? ['source_partition'] : [])];
  const read = await readSilverRows(objects, model.training, [...fields, ...extra], heartbeat);
  const labels = columnOf(read, 'label');
  const kept: number[] = [];
  for (let i = 0; i < read.rowCount; i++) if (!labels || !isAttackLabel(labels[i])) kept.push(i);
  const rows = selectRows(read, kept);
  await heartbeat();

  const scores = anomalyScores((await scorer.score(featureMatrixOf(rows, model.spec))).scoreSamples);
  const reference = (indices: readonly number[] | null): ReferenceBaseline => {
    const columns: Record<string, ArrayLike<CellValue>> = {};
    for (const field of fields) {
      const values = columnOf(rows, field)!;
      columns[field] = cellValues(indices ? indices.map((i) => values[i]!) : values);
    }
    const own = indices ? Float64Array.from(indices, (i) => scores[i]!) : scores;
    return { baseline: buildBaseline(columns, { seed: BASELINE_SEED }), scores: baselineScores(modelName, version, model.threshold, own) };
  };

  const byStream = new Map<string, number[]>();
  rowStreams(rows).forEach((stream, i) => stream !== null && (byStream.get(stream) ?? byStream.set(stream, []).get(stream)!).push(i));
  const streams = new Map<string, ReferenceBaseline>();
  for (const [stream, indices] of [...byStream].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (indices.length >= MIN_STREAM_ROWS) streams.set(stream, reference(indices));
    await heartbeat();
  }
  return {
    manifest: {
      format: MANIFEST_FORMAT,
      modelName,
      version,
      featuresSchemaVersion: model.featuresSchemaVersion,
      rows: rows.rowCount,
      excludedRows: read.rowCount - rows.rowCount,
      columns: first.names.map((name, c) => ({ name, type: first.types[c]! })),
      streams: [...streams].map(([stream, r]) => ({ stream, rows: r.scores.rows })),
    },
    global: reference(null),
    streams,
  };
}

/** Every object of a baseline with its bytes, the manifest last. */
export function serializeBaseline(model: ChampionModel, b: ChampionBaseline): Array<[ObjectRef, Buffer]> {
  const refs = baselineRefs(model.ref.modelName, model.ref.version);
  const files = (at: ReferenceRefs, r: ReferenceBaseline): Array<[ObjectRef, Buffer]> => [
    [at.scores, Buffer.from(JSON.stringify(r.scores))],
    [at.constraints, Buffer.from(writeConstraintsJson(r.baseline))],
    [at.statistics, Buffer.from(writeStatisticsJson(r.baseline))],
  ];
  return [
    ...[...b.streams].flatMap(([stream, r]) => files(refs.stream(stream), r)),
    ...files(refs.global, b.global),
    [refs.manifest, Buffer.from(`${JSON.stringify(b.manifest, null, 2)}\n`)],
  ];
}

/** Labels the traffic producer writes for ordinary traffic (`normal`) and the usual other spelling; the trainer's rule for "labelled attack". */
const NORMAL_LABELS = new Set(['normal', 'benign']);

function isAttackLabel(label: SilverValue | undefined): boolean {
  if (typeof label !== 'string') return false;
  const value = label.trim().toLowerCase();
  return value !== '' && !NORMAL_LABELS.has(value);
}

function selectRows(rows: SilverRows, kept: readonly number[]): SilverRows {
  if (kept.length === rows.rowCount) return rows;
  return { ...rows, rowCount: kept.length, columns: rows.columns.map((values) => kept.map((i) => values[i]!)) };
}

async function readStored(objects: Pick<ObjectStore, 'get'>, model: ChampionModel): Promise<Omit<StoredBaseline, 'built'> | undefined> {
  const refs = baselineRefs(model.ref.modelName, model.ref.version);
  const artifacts: StepArtifact[] = [];
  const read = async (ref: ObjectRef): Promise<string> => {
    const bytes = await objects.get(ref);
    artifacts.push(artifactOf(ref, sha256Hex(bytes), bytes.length));
    return bytes.toString('utf8');
  };
  let manifest: BaselineManifest;
  try {
    manifest = JSON.parse(await read(refs.manifest)) as BaselineManifest;
  } catch (err) {
    if (isNotFoundError(err)) return undefined;
    throw err;
  }
  if (manifest.format !== MANIFEST_FORMAT) throw new Error(`${formatRef(refs.manifest)} is not a ${MANIFEST_FORMAT} document`);
  const reference = async (at: ReferenceRefs): Promise<ReferenceBaseline> => ({
    baseline: readBaseline(await read(at.statistics), await read(at.constraints)),
    scores: parseBaselineScores(await read(at.scores)),
  });
  const streams = new Map<string, ReferenceBaseline>();
  for (const { stream } of manifest.streams) streams.set(stream, await reference(refs.stream(stream)));
  return { baseline: { manifest, global: await reference(refs.global), streams }, artifacts };
}

function artifactOf(ref: ObjectRef, sha256: string, size: number): StepArtifact {
  return { ref: formatRef(ref), layer: ref.layer, sha256, sizeBytes: size, contentType: 'application/json' };
}
