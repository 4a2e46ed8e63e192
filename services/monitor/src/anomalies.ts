import { deterministicId, Topics } from '@flowsentry/contracts';
import { FeatureMatrix, FeatureSpec } from '@flowsentry/ml';
import { StepOutput } from '@flowsentry/runtime';
import { SilverRows } from '@flowsentry/storage';
import { ModelFeatureValues, rankReasons } from './anomaly-reasons';
import { FlowExplainer } from './champion-models';
import { NetworkEventRows } from './network-event-row';
import { columnOf } from './silver-batch';
import { TypicalRange } from './typical-ranges';

/** The rows of a batch that alert: anomaly score strictly above the champion's threshold, in row order. */
export function anomalyRows(scores: ArrayLike<number>, threshold: number): number[] {
  const rows: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i]! > threshold) rows.push(i);
  return rows;
}

/** A scored batch, with what an anomaly needs to explain itself. */
export interface ScoredBatch {
  datasetId: string;
  silverKey: string;
  modelName: string;
  modelVersion: string;
  threshold: number;
  spec: FeatureSpec;
  featureNames: readonly string[];
  typical: ReadonlyMap<string, TypicalRange>;
  explainer: FlowExplainer;
  rows: Pick<SilverRows, 'names' | 'columns'>;
  matrix: FeatureMatrix;
  scores: ArrayLike<number>;
}

export interface Anomalies {
  outputs: Array<StepOutput<typeof Topics.anomaliesDetected>>;
  /** Rows above the threshold whose NetworkEvent could not be rebuilt (see NetworkEventRows): counted, not emitted. */
  unemittable: number;
}

/**
 * One anomalies.detected per flow above the threshold (key: src_ip, so one source's alerts stay in
 * order for a SIEM correlating them). The id is derived from the dataset, the model version and
 * the flow's event_key (transform's de-duplication key): a redelivered batch yields the same ids,
 * and a flow scored again by another champion version is another verdict with its own id.
 */
export function anomalyOutputs(batch: ScoredBatch): Anomalies {
  const events = new NetworkEventRows(batch.rows);
  const keys = columnOf(batch.rows, 'event_key');
  const values = new ModelFeatureValues(batch.spec, batch.rows);
  const outputs: Anomalies['outputs'] = [];
  let unemittable = 0;
  for (const row of anomalyRows(batch.scores, batch.threshold)) {
    const event = events.event(row);
    if (!event) {
      unemittable++;
      continue;
    }
    const key = keys?.[row];
    const flowKey = typeof key === 'string' && key !== '' ? key : `row-${row}`;
    outputs.push({
      topic: Topics.anomaliesDetected,
      id: deterministicId('anomaly', batch.datasetId, batch.modelName, batch.modelVersion, flowKey),
      key: event.src_ip,
      subject: `${batch.modelName}/${batch.modelVersion}/${flowKey}`,
      data: {
        event,
        datasetId: batch.datasetId,
        silverKey: batch.silverKey,
        score: batch.scores[row]!,
        threshold: batch.threshold,
        modelName: batch.modelName,
        modelVersion: batch.modelVersion,
        reasons: rankReasons(batch.explainer.explain(batch.matrix, row), batch.featureNames, values.of(row), batch.typical),
      },
    });
  }
  return { outputs, unemittable };
}
