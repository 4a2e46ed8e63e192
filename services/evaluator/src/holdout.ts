import { ArtifactRef } from '@flowsentry/contracts';
import { FeatureMatrix, featureMatrix, FeaturePipeline, FeatureSpec, featureFields } from '@flowsentry/ml';
import { ObjectStore, readSilverRows, SilverRows, SilverValue } from '@flowsentry/storage';

/** The SILVER column with the ground truth (null on production traffic). */
export const LABEL_COLUMN = 'label';
/** Labels that mean "not an attack": the producer's `normal`, and `benign` as public flow datasets (CIC-IDS) spell it. */
const NORMAL_LABELS = new Set(['normal', 'benign']);

/** Held-out SILVER rows, read once for every model scored on them. */
export interface Holdout {
  rows: number;
  /** The columns read, by name: rows are turned into features a block at a time, never all into objects. */
  columns: SilverRows;
  datasets: Array<{ key: string; sha256: string; rows: number }>;
  labels: HoldoutLabels;
}

export interface HoldoutLabels {
  /** 1 where the row is a labelled attack. */
  positive: Uint8Array;
  /** The attack type per row (its label), null for normal or unlabelled rows. */
  attack: Array<string | null>;
  /** Rows per attack type. */
  attackTypes: Record<string, number>;
  /** Both classes are present, so label-based metrics exist. */
  labelled: boolean;
}

/**
 * Reads the columns every given feature spec needs, plus the label, from the held-out datasets
 * (each verified against its hash by readSilverRows; a missing or altered object is a SilverReadError
 * that dead-letters the event).
 */
export async function readHoldout(objects: Pick<ObjectStore, 'get'>, datasets: readonly ArtifactRef[], specs: readonly FeatureSpec[], heartbeat?: () => Promise<void>): Promise<Holdout> {
  const columns = [...new Set([...specs.flatMap((spec) => featureFields(spec)), LABEL_COLUMN])].sort();
  const rows = await readSilverRows(objects, datasets, columns, heartbeat);
  return {
    rows: rows.rowCount,
    columns: rows,
    datasets: rows.datasets.map((d) => ({ key: d.ref.key, sha256: d.ref.sha256, rows: d.rows })),
    labels: labelsOf(rows),
  };
}

/** Positives are rows whose label is set and is not a normal-traffic label; everything else is a negative. */
export function labelsOf(rows: Pick<SilverRows, 'rowCount' | 'names' | 'columns'>): HoldoutLabels {
  const column = rows.columns[rows.names.indexOf(LABEL_COLUMN)] ?? [];
  const positive = new Uint8Array(rows.rowCount);
  const attack = new Array<string | null>(rows.rowCount).fill(null);
  const attackTypes: Record<string, number> = {};
  let positives = 0;
  for (let i = 0; i < rows.rowCount; i++) {
    const label = column[i];
    if (typeof label !== 'string' || label.trim() === '' || NORMAL_LABELS.has(label.trim().toLowerCase())) continue;
    positive[i] = 1;
    attack[i] = label;
    attackTypes[label] = (attackTypes[label] ?? 0) + 1;
    positives++;
  }
  return { positive, attack, attackTypes, labelled: positives > 0 && positives < rows.rowCount };
}

/** Rows turned into records per block: FeaturePipeline reads records, and one reused block of them costs no garbage. */
const BLOCK_ROWS = 4096;

/**
 * The model's feature matrix of the held-out rows, built with the spec the model carries. Records
 * are filled a block at a time into reused objects rather than one object per row: for 200,000
 * rows that is the difference between ~0.4 s and ~3 s, and between no garbage and a few hundred MB.
 */
export function holdoutMatrix(holdout: Pick<Holdout, 'columns'>, spec: FeatureSpec): FeatureMatrix {
  const pipeline = FeaturePipeline.fromSpec(spec);
  const { columns: rows } = holdout;
  const fields = featureFields(spec);
  const sources = fields.map((field) => {
    const index = rows.names.indexOf(field);
    if (index < 0) throw new RangeError(`the held-out rows have no column ${field}`);
    return rows.columns[index]!;
  });
  const out = new Float32Array(rows.rowCount * pipeline.width);
  const block = Array.from({ length: Math.min(BLOCK_ROWS, rows.rowCount) }, () => ({}) as Record<string, SilverValue>);
  for (let start = 0; start < rows.rowCount; start += BLOCK_ROWS) {
    const n = Math.min(BLOCK_ROWS, rows.rowCount - start);
    for (let r = 0; r < n; r++) {
      const record = block[r]!;
      for (let f = 0; f < fields.length; f++) record[fields[f]!] = sources[f]![start + r]!;
    }
    pipeline.transformInto(n === block.length ? block : block.slice(0, n), out, start);
  }
  return featureMatrix(out, pipeline.width);
}
