import { FlowRecord } from '@flowsentry/ml';
import { ObjectRef, readSilverRows, SilverDatasetRef, SilverRows, SilverValue } from '@flowsentry/storage';

export interface TrainingRows {
  /** One record per kept row, in dataset order then file order (what FeaturePipeline reads). */
  records: FlowRecord[];
  /** Rows left out as labelled attacks (TRAINER_EXCLUDE_LABELLED). */
  excluded: number;
}

/** Labels the traffic producer writes for ordinary traffic (tools/producer: `normal`); `benign` is the other common spelling. */
const NORMAL_LABELS = new Set(['normal', 'benign']);

/** A row whose label is set and names something other than normal traffic: an attack the producer injected. */
export function isAttackLabel(label: SilverValue | undefined): boolean {
  if (typeof label !== 'string') return false;
  const value = label.trim().toLowerCase();
  return value !== '' && !NORMAL_LABELS.has(value);
}

/**
 * Reads the model's columns of the training datasets (each object verified against its sha256;
 * the group heartbeat is beaten between objects) and, with `excludeLabelled`, leaves out
 * labelled attack rows. Records are views onto the columns rather than copies: at a million
 * rows, plain objects with the values copied in fitted no faster and took ~100 MB more.
 */
export async function readTrainingRows(
  objects: { get(ref: ObjectRef): Promise<Buffer> },
  datasets: readonly SilverDatasetRef[],
  columns: readonly string[],
  excludeLabelled: boolean,
  heartbeat?: () => Promise<void>,
): Promise<TrainingRows> {
  const read = excludeLabelled && !columns.includes('label') ? [...columns, 'label'] : columns;
  const rows = await readSilverRows(objects, datasets, read, heartbeat);
  const labels = excludeLabelled ? rows.columns[rows.names.indexOf('label')]! : undefined;
  const keep: number[] = [];
  for (let i = 0; i < rows.rowCount; i++) if (!labels || !isAttackLabel(labels[i])) keep.push(i);
  return { records: rowViews(rows, columns, keep), excluded: rows.rowCount - keep.length };
}

/** Records whose named fields read straight from the column arrays (a getter per column on one shared prototype). */
function rowViews(rows: SilverRows, columns: readonly string[], keep: readonly number[]): FlowRecord[] {
  const View = class {
    constructor(readonly $row: number) {}
  };
  for (const name of columns) {
    const values = rows.columns[rows.names.indexOf(name)]!;
    Object.defineProperty(View.prototype, name, {
      get(this: { $row: number }) {
        return values[this.$row];
      },
      enumerable: true,
    });
  }
  return keep.map((i) => new View(i));
}
