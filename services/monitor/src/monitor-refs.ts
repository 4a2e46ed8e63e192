import { ObjectRef } from '@flowsentry/storage';

/** One reference distribution's files: Model Monitor's pair and the champion's scores on the same rows. */
export interface ReferenceRefs {
  statistics: ObjectRef;
  constraints: ObjectRef;
  scores: ObjectRef;
}

export interface BaselineRefs {
  /** Written last: what the baseline holds (streams, training columns); its presence means complete. */
  manifest: ObjectRef;
  /** Every training row. */
  global: ReferenceRefs;
  /** The training rows of one source stream (Kafka partition of the flows). */
  stream(stream: string): ReferenceRefs;
}

/**
 * Object keys of the MONITOR layer, each a function of what it describes only (model, version,
 * stream, dataset), so a retried step writes the same key with the same bytes:
 * - `<model>/<version>/baseline/`: statistics.json, constraints.json (Model Monitor's shapes) and
 *   scores.json (the champion's scores on its training rows), for all training rows and again per
 *   source stream under `streams/<stream>/`; manifest.json indexes them;
 * - `<model>/<version>/batches/<datasetId>/`: constraint_violations.json and drift.json.
 */
export function baselineRefs(modelName: string, version: string): BaselineRefs {
  const at = (path: string): ObjectRef => ({ layer: 'monitor', key: `${modelName}/${version}/baseline/${path}` });
  const reference = (dir: string): ReferenceRefs => ({ statistics: at(`${dir}statistics.json`), constraints: at(`${dir}constraints.json`), scores: at(`${dir}scores.json`) });
  return { manifest: at('manifest.json'), global: reference(''), stream: (stream) => reference(`streams/${stream}/`) };
}

export function batchReportRefs(modelName: string, version: string, datasetId: string): { violations: ObjectRef; drift: ObjectRef } {
  const at = (file: string): ObjectRef => ({ layer: 'monitor', key: `${modelName}/${version}/batches/${datasetId}/${file}` });
  return { violations: at('constraint_violations.json'), drift: at('drift.json') };
}
