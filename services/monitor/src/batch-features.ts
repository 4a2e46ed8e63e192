import { FeatureMatrix, featureMatrix, FeaturePipeline, featureFields, FeatureSpec } from '@flowsentry/ml';
import { SilverRows, SilverValue } from '@flowsentry/storage';

/** The champion's SILVER columns a batch lacks: with any of them gone the model would score every row on a fill value, so it does not score. */
export function missingModelColumns(rows: Pick<SilverRows, 'names'>, spec: FeatureSpec): string[] {
  return featureFields(spec).filter((field) => !rows.names.includes(field));
}

/** Rows turned into records per block: FeaturePipeline reads records, and one reused block of them costs no garbage. */
const BLOCK_ROWS = 4096;

/**
 * The champion's feature matrix of SILVER rows, with the spec the model carries (the same
 * encoding as training: fills, vocabulary). Records are filled a block at a time into reused
 * objects rather than one object per row, as the evaluator does for its held-out rows.
 */
export function featureMatrixOf(rows: Pick<SilverRows, 'rowCount' | 'names' | 'columns'>, spec: FeatureSpec): FeatureMatrix {
  const pipeline = FeaturePipeline.fromSpec(spec);
  const fields = featureFields(spec);
  const sources = fields.map((field) => {
    const index = rows.names.indexOf(field);
    if (index < 0) throw new RangeError(`the batch has no column ${field}`);
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

/** Anomaly scores (−score_samples: higher is more anomalous), the convention thresholds and reports use. */
export function anomalyScores(scoreSamples: Float64Array): Float64Array {
  const out = new Float64Array(scoreSamples.length);
  for (let i = 0; i < scoreSamples.length; i++) out[i] = -scoreSamples[i]!;
  return out;
}
